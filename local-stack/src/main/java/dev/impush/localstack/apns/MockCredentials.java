package dev.impush.localstack.apns;

import dev.impush.localstack.MockNetwork;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Throw-away key material for the mock: EC P-256 keys made in memory, PEM files in a temp directory
 * that {@link #delete()} removes. Nothing here is a real credential.
 */
final class MockCredentials {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    final Path dir;
    final KeyPair serverKeys;
    final X509Certificate serverCertificate;
    final Path serverCertificateFile;
    final KeyPair signingKeys;
    final Path signingKeyFile;
    final String keyId;
    final String teamId;

    private MockCredentials(Path dir, KeyPair serverKeys, X509Certificate serverCertificate, KeyPair signingKeys,
                            String keyId, String teamId) throws IOException {
        this.dir = dir;
        this.serverKeys = serverKeys;
        this.serverCertificate = serverCertificate;
        this.signingKeys = signingKeys;
        this.keyId = keyId;
        this.teamId = teamId;
        try {
            this.serverCertificateFile = writePem(dir.resolve("mock-apns-server.pem"), "CERTIFICATE",
                    serverCertificate.getEncoded());
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IOException(e);
        }
        // Java encodes EC private keys as PKCS#8, the format of Apple's AuthKey_<keyId>.p8 files.
        this.signingKeyFile = writePem(dir.resolve("AuthKey_" + keyId + ".p8"), "PRIVATE KEY",
                signingKeys.getPrivate().getEncoded());
    }

    /** Another team's signing key (an ES256 key, its key id and team id), written beside the first. */
    record Team(KeyPair keys, Path keyFile, String keyId, String teamId) {}

    /** A new team: fresh key, key id and team id, its {@code AuthKey_<keyId>.p8} in this directory. */
    Team newTeam() throws IOException, GeneralSecurityException {
        KeyPair keys = ecKeyPair();
        String id = randomId();
        return new Team(keys, writePem(dir.resolve("AuthKey_" + id + ".p8"), "PRIVATE KEY", keys.getPrivate().getEncoded()),
                id, randomId());
    }

    static MockCredentials generate() throws IOException, GeneralSecurityException {
        Path dir = Files.createTempDirectory("impush-mock-apns");
        KeyPair serverKeys = ecKeyPair();
        return new MockCredentials(dir, serverKeys, selfSigned(serverKeys), ecKeyPair(), randomId(), randomId());
    }

    void delete() {
        try {
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.deleteIfExists(f);
                }
            }
            Files.deleteIfExists(dir);
        } catch (IOException ignored) {
            // temp files: the OS cleans up what is left
        }
    }

    private static KeyPair ecKeyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
        return generator.generateKeyPair();
    }

    /** A leaf certificate valid for {@code localhost}, {@code 127.0.0.1} and {@link MockNetwork#host()}, trusted directly by the client. */
    private static X509Certificate selfSigned(KeyPair keys) throws GeneralSecurityException {
        X500Name name = new X500Name("CN=impush mock APNs");
        Instant now = Instant.now();
        try {
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name,
                    new BigInteger(64, RANDOM), Date.from(now.minus(Duration.ofHours(1))),
                    Date.from(now.plus(Duration.ofDays(2))), name, keys.getPublic());
            List<GeneralName> names = new ArrayList<>(List.of(new GeneralName(GeneralName.dNSName, "localhost"),
                    new GeneralName(GeneralName.iPAddress, "127.0.0.1")));
            if (MockNetwork.shared()) {
                names.add(new GeneralName(GeneralName.dNSName, MockNetwork.host()));
            }
            builder.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(names.toArray(GeneralName[]::new)));
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
        } catch (OperatorCreationException | IOException e) {
            throw new GeneralSecurityException("cannot create the mock server certificate", e);
        }
    }

    private static Path writePem(Path file, String type, byte[] der) throws IOException {
        String pem = "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
        return Files.writeString(file, pem, StandardCharsets.US_ASCII);
    }

    /** Apple's key and team ids are 10 upper-case letters and digits. */
    private static String randomId() {
        StringBuilder b = new StringBuilder(10);
        for (int i = 0; i < 10; i++) {
            b.append(ALPHANUMERIC.charAt(RANDOM.nextInt(ALPHANUMERIC.length())));
        }
        return b.toString();
    }
}
