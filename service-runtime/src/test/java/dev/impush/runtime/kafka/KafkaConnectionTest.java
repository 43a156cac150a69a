package dev.impush.runtime.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.impush.runtime.ConfigException;
import dev.impush.runtime.Env;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaConnectionTest {
    @TempDir
    Path dir;

    @Test
    void unset_isPlaintextToLocalhost() {
        KafkaConnection k = KafkaConnection.fromEnv(Env.of(Map.of()));

        Map<String, Object> consumer = k.consumer(Map.of("fetch.min.bytes", 1), Map.of());
        assertEquals("localhost:9092", consumer.get("bootstrap.servers"));
        assertEquals("PLAINTEXT", consumer.get("security.protocol"));
        assertEquals(1, consumer.get("fetch.min.bytes"));
        assertFalse(consumer.containsKey("sasl.jaas.config"));
    }

    @Test
    void saslSsl_scram_buildsTheLoginAndTrustsThePemCa_withoutPrintingThePassword() throws Exception {
        Path ca = Files.writeString(dir.resolve("ca.pem"), "-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----\n");
        Path password = Files.writeString(dir.resolve("pw"), "s3c\"r\\et\n");
        KafkaConnection k = KafkaConnection.fromEnv(Env.of(Map.of(KafkaConnection.BOOTSTRAP, "k1:9093",
                KafkaConnection.SECURITY_PROTOCOL, "sasl_ssl", KafkaConnection.SASL_USERNAME, "impush",
                KafkaConnection.SASL_PASSWORD_FILE, password.toString(), KafkaConnection.SSL_CA_FILE, ca.toString())));

        Map<String, Object> admin = k.admin(Map.of(), Map.of());
        assertEquals("SASL_SSL", admin.get("security.protocol"));
        assertEquals("SCRAM-SHA-512", admin.get("sasl.mechanism"));
        assertEquals("org.apache.kafka.common.security.scram.ScramLoginModule required username=\"impush\""
                + " password=\"s3c\\\"r\\\\et\";", admin.get("sasl.jaas.config"));
        assertEquals("PEM", admin.get("ssl.truststore.type"));
        assertEquals(ca.toString(), admin.get("ssl.truststore.location"));
        assertEquals("k1:9093", admin.get("bootstrap.servers"));
        assertTrue(k.toString().contains("SCRAM-SHA-512 as impush"), k.toString());
        assertFalse(k.toString().contains("s3c"), k.toString());
    }

    @Test
    void mutualTls_readsThePemCertificateAndKey() throws Exception {
        Path cert = Files.writeString(dir.resolve("c.pem"), "CERT");
        Path key = Files.writeString(dir.resolve("k.pem"), "KEY");
        Map<String, Object> p = KafkaConnection.fromEnv(Env.of(Map.of(KafkaConnection.SECURITY_PROTOCOL, "SSL",
                KafkaConnection.SSL_CERT_FILE, cert.toString(), KafkaConnection.SSL_KEY_FILE, key.toString())))
                .producer(Map.of(), Map.of());

        assertEquals("PEM", p.get("ssl.keystore.type"));
        assertEquals("CERT", p.get("ssl.keystore.certificate.chain"));
        assertEquals("KEY", p.get("ssl.keystore.key"));
        assertFalse(p.containsKey("ssl.truststore.location"));
    }

    @Test
    void passThrough_goesToTheClientsThatKnowIt_prefixedOnesToOneClient() throws Exception {
        Path file = Files.writeString(dir.resolve("kafka.properties"), "consumer.fetch.max.wait.ms=250\nmetadata.max.age.ms=60000\n");
        KafkaConnection k = KafkaConnection.fromEnv(Env.of(Map.of(
                KafkaConnection.PROPERTIES_FILE, file.toString(),
                "IMPUSH_KAFKA_PROPERTY_CLIENT_RACK", "use1-az1",
                "IMPUSH_KAFKA_PROPERTY_PRODUCER_LINGER_MS", "20",
                "IMPUSH_KAFKA_PROPERTY_NUM_STANDBY_REPLICAS", "1")));

        Map<String, Object> consumer = k.consumer(Map.of("fetch.max.wait.ms", 100), Map.of());
        Map<String, Object> producer = k.producer(Map.of("linger.ms", 5), Map.of());
        Map<String, Object> streams = k.streams(Map.of(), Map.of());
        assertEquals("use1-az1", consumer.get("client.rack"));
        assertEquals("250", consumer.get("fetch.max.wait.ms"));
        assertEquals("60000", consumer.get("metadata.max.age.ms"));
        assertFalse(consumer.containsKey("linger.ms"));
        assertFalse(consumer.containsKey("num.standby.replicas"));
        assertEquals("20", producer.get("linger.ms"));
        assertFalse(producer.containsKey("client.rack"), "client.rack is not a producer setting");
        assertEquals("1", streams.get("num.standby.replicas"));
        assertEquals("20", streams.get("producer.linger.ms"));
        assertTrue(k.toString().contains("client.rack"), k.toString());
    }

    @Test
    void passThrough_ofWhatImpushFixes_isRefusedNamingTheVariable() {
        KafkaConnection k = KafkaConnection.fromEnv(Env.of(Map.of("IMPUSH_KAFKA_PROPERTY_CONSUMER_ENABLE_AUTO_COMMIT", "true")));

        ConfigException e = assertThrows(ConfigException.class,
                () -> k.consumer(Map.of(), Map.of("enable.auto.commit", false)));
        assertTrue(e.getMessage().startsWith("IMPUSH_KAFKA_PROPERTY_CONSUMER_ENABLE_AUTO_COMMIT"), e.getMessage());
        assertFalse(k.producer(Map.of(), Map.of()).containsKey("enable.auto.commit"));
    }

    @Test
    void contradictions_nameTheKey() throws Exception {
        Path ca = Files.writeString(dir.resolve("ca.pem"), "CA");
        assertNames(KafkaConnection.SECURITY_PROTOCOL, Map.of(KafkaConnection.SECURITY_PROTOCOL, "TLS"));
        assertNames(KafkaConnection.SASL_USERNAME, Map.of(KafkaConnection.SASL_USERNAME, "u"));
        assertNames(KafkaConnection.SSL_CA_FILE, Map.of(KafkaConnection.SSL_CA_FILE, ca.toString()));
        assertNames(KafkaConnection.SSL_CA_FILE, Map.of(KafkaConnection.SECURITY_PROTOCOL, "SSL",
                KafkaConnection.SSL_CA_FILE, dir.resolve("missing.pem").toString()));
        assertNames(KafkaConnection.SASL_USERNAME, Map.of(KafkaConnection.SECURITY_PROTOCOL, "SASL_SSL"));
        assertNames(KafkaConnection.SASL_PASSWORD, Map.of(KafkaConnection.SECURITY_PROTOCOL, "SASL_SSL",
                KafkaConnection.SASL_USERNAME, "u"));
        assertNames(KafkaConnection.SASL_JAAS_CONFIG_FILE, Map.of(KafkaConnection.SECURITY_PROTOCOL, "SASL_SSL",
                KafkaConnection.SASL_MECHANISM, "OAUTHBEARER"));
        assertNames("IMPUSH_KAFKA_PROPERTY_SECURITY_PROTOCOL", Map.of(KafkaConnection.SECURITY_PROTOCOL, "SSL",
                "IMPUSH_KAFKA_PROPERTY_SECURITY_PROTOCOL", "PLAINTEXT"));
        assertNames(KafkaConnection.BOOTSTRAP, Map.of("IMPUSH_KAFKA_PROPERTY_BOOTSTRAP_SERVERS", "x:1"));
    }

    @Test
    void kafkaName_underscoresAndDashes() {
        assertEquals("client.rack", KafkaConnection.kafkaName("CLIENT_RACK"));
        assertEquals("a_b.c", KafkaConnection.kafkaName("A__B_C"));
        assertEquals("x-y.z", KafkaConnection.kafkaName("X___Y_Z"));
    }

    private static void assertNames(String key, Map<String, String> env) {
        ConfigException e = assertThrows(ConfigException.class, () -> KafkaConnection.fromEnv(Env.of(new HashMap<>(env))));
        assertTrue(e.getMessage().contains(key), e.getMessage());
    }
}
