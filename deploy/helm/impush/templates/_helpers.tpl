{{/* Names: <release>-impush, or the release name when it already says impush. */}}
{{- define "impush.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 40 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* The name of a component's objects: {{ include "impush.name" (list . "push-worker") }} */}}
{{- define "impush.name" -}}
{{- printf "%s-%s" (include "impush.fullname" (index . 0)) (index . 1) -}}
{{- end -}}

{{- define "impush.selectorLabels" -}}
app.kubernetes.io/name: {{ index . 1 }}
app.kubernetes.io/instance: {{ (index . 0).Release.Name }}
{{- end -}}

{{- define "impush.labels" -}}
{{ include "impush.selectorLabels" . }}
app.kubernetes.io/part-of: impush
app.kubernetes.io/version: {{ (index . 0).Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ (index . 0).Release.Service }}
helm.sh/chart: {{ printf "%s-%s" (index . 0).Chart.Name (index . 0).Chart.Version }}
{{- end -}}

{{- define "impush.image" -}}
{{- $repo := required "image.repository is required: the impush image built from deploy/Dockerfile, e.g. registry.example.com/impush" .Values.image.repository -}}
{{- printf "%s:%s" $repo (.Values.image.tag | default .Chart.AppVersion) -}}
{{- end -}}

{{- define "impush.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- .Values.serviceAccount.name | default (include "impush.fullname" .) -}}
{{- else -}}
{{- .Values.serviceAccount.name | default "default" -}}
{{- end -}}
{{- end -}}

{{/*
A setting as the services see it: the component's config, else the shared config, else the
default the code has. {{ include "impush.setting" (list . "worker" "IMPUSH_TOPIC_JOBS" "push.jobs") }}
*/}}
{{- define "impush.setting" -}}
{{- $root := index . 0 -}}
{{- $component := get $root.Values (index . 1) | default dict -}}
{{- $key := index . 2 -}}
{{- $local := get ($component.config | default dict) $key -}}
{{- $shared := get $root.Values.config $key -}}
{{- toString (coalesce $local $shared (index . 3)) -}}
{{- end -}}

{{/* config keys are the README's IMPUSH_* keys; anything else is a mistake worth stopping for */}}
{{- define "impush.checkKeys" -}}
{{- $where := index . 0 -}}
{{- range $key, $_ := index . 1 -}}
{{- if not (regexMatch "^IMPUSH_[A-Z0-9_]+$" $key) -}}
{{- fail (printf "%s.%s: configuration keys are the README's IMPUSH_* environment variables" $where $key) -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/*
Secrets by reference. Per entry of `secrets`: the variables a service gets from it, either the
value of a key (env) or the path of a key's file (file; the Secret is mounted whole under
/etc/impush/secrets/<entry>, so a rotated Secret reaches the file). `services` says who needs it.
*/}}
{{- define "impush.secretTable" -}}
redis: {services: [worker], vars: [{env: IMPUSH_REDIS_URI, key: uri}, {env: IMPUSH_REDIS_USERNAME, key: username, optional: true}, {env: IMPUSH_REDIS_PASSWORD, key: password, optional: true}]}
redisCa: {services: [worker], vars: [{env: IMPUSH_REDIS_CA_FILE, key: ca.crt, file: true}]}
kafka: {services: [worker, detector], vars: [{env: IMPUSH_KAFKA_SASL_PASSWORD, key: sasl-password}]}
kafkaCa: {services: [worker, detector], vars: [{env: IMPUSH_KAFKA_SSL_CA_FILE, key: ca.crt, file: true}]}
apns: {services: [worker], vars: [{env: IMPUSH_APNS_KEY_FILE, key: AuthKey.p8, file: true}, {env: IMPUSH_APNS_KEY_ID, key: key-id}, {env: IMPUSH_APNS_TEAM_ID, key: team-id}]}
fcm: {services: [worker], vars: [{env: IMPUSH_FCM_CREDENTIALS_FILE, key: service-account.json, file: true}]}
xiaomi: {services: [worker], vars: [{env: IMPUSH_XIAOMI_APP_SECRET_FILE, key: app-secret, file: true}, {env: IMPUSH_XIAOMI_CHANNEL_ID, key: channel-id, optional: true}]}
huawei: {services: [worker], vars: [{env: IMPUSH_HUAWEI_APP_ID, key: app-id}, {env: IMPUSH_HUAWEI_APP_SECRET_FILE, key: app-secret, file: true}]}
honor: {services: [worker], vars: [{env: IMPUSH_HONOR_APP_ID, key: app-id}, {env: IMPUSH_HONOR_CLIENT_ID, key: client-id}, {env: IMPUSH_HONOR_CLIENT_SECRET_FILE, key: client-secret, file: true}]}
vivo: {services: [worker], vars: [{env: IMPUSH_VIVO_APP_ID, key: app-id}, {env: IMPUSH_VIVO_APP_KEY, key: app-key}, {env: IMPUSH_VIVO_APP_SECRET_FILE, key: app-secret, file: true}]}
oppo: {services: [worker], vars: [{env: IMPUSH_OPPO_APP_KEY, key: app-key}, {env: IMPUSH_OPPO_MASTER_SECRET_FILE, key: master-secret, file: true}]}
meizu: {services: [worker], vars: [{env: IMPUSH_MEIZU_APP_ID, key: app-id}, {env: IMPUSH_MEIZU_APP_SECRET_FILE, key: app-secret, file: true}]}
harmony: {services: [worker], vars: [{env: IMPUSH_HARMONY_SERVICE_ACCOUNT_FILE, key: service-account.json, file: true}]}
webpush: {services: [worker], vars: [{env: IMPUSH_WEBPUSH_VAPID_PRIVATE_KEY_FILE, key: vapid-private-key, file: true}, {env: IMPUSH_WEBPUSH_VAPID_PUBLIC_KEY, key: vapid-public-key}, {env: IMPUSH_WEBPUSH_VAPID_SUBJECT, key: subject}]}
apps: {services: [worker], vars: [{env: IMPUSH_APPS_FILE, key: apps.properties, file: true}]}
receipts: {services: [worker], vars: [{env: IMPUSH_RECEIPTS_KEY_FILE, key: receipts.key, file: true}]}
{{- end -}}

{{/* The env entries of a service's Secrets: {{ include "impush.secretEnv" (list . "worker") }} */}}
{{- define "impush.secretEnv" -}}
{{- $root := index . 0 -}}
{{- $service := index . 1 -}}
{{- range $entry, $spec := include "impush.secretTable" $root | fromYaml -}}
{{- $name := get $root.Values.secrets $entry -}}
{{- if and $name (has $service $spec.services) -}}
{{- range $spec.vars }}
- name: {{ .env }}
{{- if .file }}
  value: {{ printf "/etc/impush/secrets/%s/%s" $entry .key | quote }}
{{- else }}
  valueFrom:
    secretKeyRef: {name: {{ $name | quote }}, key: {{ .key | quote }}{{ if .optional }}, optional: true{{ end }}}
{{- end }}
{{- end }}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* Volumes and mounts of the Secrets whose keys a service reads as files */}}
{{- define "impush.secretVolumes" -}}
{{- $root := index . 0 -}}
{{- range $entry, $spec := include "impush.secretTable" $root | fromYaml -}}
{{- $name := get $root.Values.secrets $entry -}}
{{- if and $name (has (index $ 1) $spec.services) (include "impush.hasFile" $spec) }}
- name: secret-{{ $entry | lower }}
  secret: {secretName: {{ $name | quote }}, defaultMode: 0440}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "impush.secretMounts" -}}
{{- $root := index . 0 -}}
{{- range $entry, $spec := include "impush.secretTable" $root | fromYaml -}}
{{- $name := get $root.Values.secrets $entry -}}
{{- if and $name (has (index $ 1) $spec.services) (include "impush.hasFile" $spec) }}
- {name: secret-{{ $entry | lower }}, mountPath: /etc/impush/secrets/{{ $entry }}, readOnly: true}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "impush.hasFile" -}}
{{- range .vars }}{{ if .file }}true{{ end }}{{ end -}}
{{- end -}}

{{/* A component's own IMPUSH_* keys, as env entries (they win over the shared ConfigMap) */}}
{{- define "impush.componentEnv" -}}
{{- $component := index . 1 -}}
{{- include "impush.checkKeys" (list (printf "%s.config" $component) (get (index . 0).Values $component).config) -}}
{{- range $key, $value := (get (index . 0).Values $component).config }}
- {name: {{ $key }}, value: {{ toString $value | quote }}}
{{- end -}}
{{- end -}}

{{/* Probes: live = the JVM answers; ready = the poll loop / Streams runs (also liveness, with a long threshold) */}}
{{- define "impush.probes" -}}
startupProbe:
  httpGet: {path: /health/live, port: ops}
  periodSeconds: 2
  failureThreshold: 60
readinessProbe:
  httpGet: {path: /health/ready, port: ops}
  periodSeconds: 10
  timeoutSeconds: 3
  failureThreshold: 3
# /health/ready on purpose: a dead poll loop or a failed Streams client leaves the JVM up and
# /health/live answering; 8 x 15 s of not-ready restarts the pod
livenessProbe:
  httpGet: {path: /health/ready, port: ops}
  periodSeconds: 15
  timeoutSeconds: 3
  failureThreshold: 8
{{- end -}}
