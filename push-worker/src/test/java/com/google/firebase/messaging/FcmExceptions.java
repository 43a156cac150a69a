package com.google.firebase.messaging;

import com.google.api.client.http.HttpHeaders;
import com.google.api.client.http.HttpResponseException;
import com.google.firebase.ErrorCode;
import com.google.firebase.FirebaseException;
import com.google.firebase.IncomingHttpResponse;
import com.google.firebase.OutgoingHttpRequest;

/**
 * Builds {@link FirebaseMessagingException}s as the SDK would (its constructors are package-private),
 * so error mapping can be unit-tested without a server. Test-only.
 */
public final class FcmExceptions {
    private FcmExceptions() {}

    /**
     * @param messagingCode the FCM {@code details[].errorCode}, or {@code null} for none
     * @param retryAfter    the {@code Retry-After} header value, or {@code null} for none
     * @param httpStatus    0 for "no HTTP response" (an IO failure)
     */
    public static FirebaseMessagingException of(ErrorCode code, MessagingErrorCode messagingCode, String message,
                                                int httpStatus, String retryAfter) {
        IncomingHttpResponse response = null;
        if (httpStatus > 0) {
            HttpHeaders headers = new HttpHeaders();
            if (retryAfter != null) {
                headers.set("Retry-After", java.util.List.of(retryAfter));
            }
            HttpResponseException e = new HttpResponseException.Builder(httpStatus, null, headers)
                    .setContent("{}").build();
            response = new IncomingHttpResponse(e, new OutgoingHttpRequest("POST",
                    "https://fcm.googleapis.com/v1/projects/p/messages:send"));
        }
        FirebaseException base = new FirebaseException(code, message, null, response);
        return FirebaseMessagingException.withMessagingErrorCode(base, messagingCode);
    }
}
