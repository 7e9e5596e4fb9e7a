package dev.wren.mqtt.transport;

import java.io.ByteArrayInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * Reads PEM files (RFC 7468) as {@code mosquitto --cafile/--cert/--key} take them: one or several
 * {@code CERTIFICATE} blocks, and one unencrypted PKCS#8 {@code PRIVATE KEY} (RSA or EC).
 *
 * <p>Every error names the file and its role ("CA file", "client key file") and never quotes the file's
 * content, so a key cannot leak through an exception message. The file bytes and decoded DER of a key are
 * zeroed once parsed (best effort: the JDK's key object and a transient copy of the text remain until collected).
 */
final class Pem {

    private static final String BEGIN = "-----BEGIN ";
    private static final String END = "-----END ";
    private static final String DASHES = "-----";
    private static final String[] KEY_ALGORITHMS = {"RSA", "EC"};

    private Pem() {
    }

    /** One {@code -----BEGIN label-----} block: its label and decoded DER bytes (null when the base64 is bad). */
    private static final class Block {
        final String label;
        final byte[] der;

        Block(String label, byte[] der) {
            this.label = label;
            this.der = der;
        }
    }

    /**
     * Reads every {@code CERTIFICATE} block of {@code file}, in file order (leaf first for a chain).
     *
     * @param role what the file is for, e.g. "CA file", used in error messages
     * @throws IOException naming the file when it is missing, unreadable, not PEM, or holds no parsable certificate
     */
    static List<X509Certificate> readCertificates(Path file, String role) throws IOException {
        byte[] content = readFile(file, role);
        List<Block> blocks = blocks(content);
        List<X509Certificate> certificates = new ArrayList<>();
        CertificateFactory factory = x509Factory();
        for (Block b : blocks) {
            if (!b.label.equals("CERTIFICATE")) {
                continue;
            }
            int number = certificates.size() + 1;
            if (b.der == null) {
                throw new IOException(role + " " + file + ": certificate #" + number + " is not valid base64");
            }
            try {
                certificates.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(b.der)));
            } catch (CertificateException e) {
                throw new IOException(role + " " + file + ": certificate #" + number + " cannot be parsed ("
                        + e.getMessage() + ")", e);
            }
        }
        if (certificates.isEmpty()) {
            throw new IOException(role + " " + file + " holds no PEM certificate (no '-----BEGIN CERTIFICATE-----' line"
                    + found(blocks, content) + ")");
        }
        return certificates;
    }

    /**
     * Reads the one unencrypted PKCS#8 {@code PRIVATE KEY} block of {@code file}; RSA and EC keys.
     * PKCS#1 ({@code RSA PRIVATE KEY}), SEC 1 ({@code EC PRIVATE KEY}) and encrypted keys are refused with
     * the {@code openssl} command that converts them.
     *
     * @throws IOException naming the file; the message never contains key material
     */
    static PrivateKey readPrivateKey(Path file, String role) throws IOException {
        byte[] content = readFile(file, role);
        List<Block> blocks;
        try {
            blocks = blocks(content);
        } finally {
            Arrays.fill(content, (byte) 0);
        }
        PrivateKey key = null;
        try {
            for (Block b : blocks) {
                switch (b.label) {
                    case "PRIVATE KEY":
                        if (key != null) {
                            throw new IOException(role + " " + file + " holds more than one PRIVATE KEY block");
                        }
                        key = pkcs8(b.der, file, role);
                        break;
                    case "ENCRYPTED PRIVATE KEY":
                        throw new IOException(role + " " + file + " holds an encrypted key; Wren reads unencrypted PKCS#8"
                                + " only (decrypt it with: openssl pkcs8 -in " + file + " -out key.pem)");
                    case "RSA PRIVATE KEY":
                    case "EC PRIVATE KEY":
                        throw new IOException(role + " " + file + " holds a '" + b.label + "' (PKCS#1/SEC 1) key; Wren"
                                + " reads PKCS#8 (convert it with: openssl pkcs8 -topk8 -nocrypt -in " + file
                                + " -out key.pem)");
                    default:
                        break;
                }
            }
        } finally {
            for (Block b : blocks) {
                if (b.der != null) {
                    Arrays.fill(b.der, (byte) 0);
                }
            }
        }
        if (key == null) {
            throw new IOException(role + " " + file + " holds no PEM private key (no '-----BEGIN PRIVATE KEY-----' line"
                    + found(blocks, null) + ")");
        }
        return key;
    }

    private static PrivateKey pkcs8(byte[] der, Path file, String role) throws IOException {
        if (der == null) {
            throw new IOException(role + " " + file + ": the PRIVATE KEY block is not valid base64");
        }
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        for (String algorithm : KEY_ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (InvalidKeySpecException notThisAlgorithm) {
                // The PKCS#8 algorithm identifier names another algorithm (or the key is damaged): try the next.
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("this JVM has no " + algorithm + " KeyFactory", e);
            }
        }
        // No cause attached: the JDK's parse errors are not needed and must not risk echoing key bytes.
        throw new IOException(role + " " + file + ": the PRIVATE KEY is neither an RSA nor an EC PKCS#8 key, or is damaged");
    }

    /**
     * Reads a whole file, with an error naming it and its role when it is missing, a directory, or unreadable.
     */
    static byte[] readFile(Path file, String role) throws IOException {
        if (file == null) {
            throw new IllegalArgumentException(role + " path is null");
        }
        if (Files.isDirectory(file)) {
            throw new IOException(role + " " + file + " cannot be read: it is a directory");
        }
        if (!Files.exists(file)) {
            throw new FileNotFoundException(role + " " + file + " not found");
        }
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IOException(role + " " + file + " cannot be read (" + e.getClass().getSimpleName() + ")", e);
        }
    }

    /** Splits PEM text into blocks; anything outside BEGIN/END lines (e.g. openssl's text dump) is ignored. */
    private static List<Block> blocks(byte[] content) {
        String text = new String(content, StandardCharsets.ISO_8859_1);
        List<Block> blocks = new ArrayList<>();
        int from = 0;
        while (true) {
            int begin = text.indexOf(BEGIN, from);
            if (begin < 0) {
                return blocks;
            }
            int labelEnd = text.indexOf(DASHES, begin + BEGIN.length());
            if (labelEnd < 0) {
                return blocks;
            }
            String label = text.substring(begin + BEGIN.length(), labelEnd);
            String endLine = END + label + DASHES;
            int end = text.indexOf(endLine, labelEnd);
            if (end < 0) {
                blocks.add(new Block(label, null));
                return blocks;
            }
            String body = text.substring(labelEnd + DASHES.length(), end);
            blocks.add(new Block(label, base64(body)));
            from = end + endLine.length();
        }
    }

    private static byte[] base64(String body) {
        if (body.indexOf(':') >= 0) {
            return null; // RFC 1421 headers (Proc-Type: 4,ENCRYPTED ...) mean a legacy encrypted key
        }
        try {
            return Base64.getMimeDecoder().decode(body);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** What a file without the wanted block holds instead, for the error message. */
    private static String found(List<Block> blocks, byte[] content) {
        if (!blocks.isEmpty()) {
            StringBuilder labels = new StringBuilder("; it holds");
            for (Block b : blocks) {
                labels.append(" '").append(b.label).append('\'');
            }
            return labels.toString();
        }
        if (content != null && content.length > 0 && content[0] == 0x30) {
            return "; it looks like binary DER: convert it with openssl x509 -inform der -in FILE -out FILE.pem";
        }
        return content != null && content.length == 0 ? "; the file is empty" : "";
    }

    static CertificateFactory x509Factory() {
        try {
            return CertificateFactory.getInstance("X.509");
        } catch (CertificateException e) {
            throw new IllegalStateException("this JVM has no X.509 CertificateFactory", e);
        }
    }
}
