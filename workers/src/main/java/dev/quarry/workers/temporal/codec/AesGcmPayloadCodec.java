package dev.quarry.workers.temporal.codec;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.temporal.api.common.v1.Payload;
import io.temporal.payload.codec.PayloadCodec;
import io.temporal.payload.codec.PayloadCodecException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Encrypts whole payloads (their data and their metadata, such as the JSON encoding) with
 * AES-256-GCM before they reach the Temporal server, and decrypts them on the way back. The
 * encrypted payload names its key id in its metadata so keys can rotate; the key id is also the
 * authenticated data, so a payload cannot be passed off as one of another key. Payloads that are
 * not encrypted pass through decoding unchanged (histories written before encryption was on).
 */
public final class AesGcmPayloadCodec implements PayloadCodec {
  public static final String ENCODING = "binary/encrypted";
  public static final String METADATA_ENCODING = "encoding";
  public static final String METADATA_KEY_ID = "encryption-key-id";
  public static final String METADATA_CIPHER = "encryption-cipher";
  public static final String CIPHER_NAME = "AES-256-GCM";
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;

  private final PayloadKeyRing keys;
  private final SecureRandom random = new SecureRandom();

  public AesGcmPayloadCodec(PayloadKeyRing keys) {
    this.keys = keys;
  }

  @Override
  public List<Payload> encode(List<Payload> payloads) {
    return payloads.stream().map(this::encrypt).toList();
  }

  @Override
  public List<Payload> decode(List<Payload> payloads) {
    return payloads.stream().map(this::decrypt).toList();
  }

  private Payload encrypt(Payload payload) {
    String keyId = keys.activeId();
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    byte[] sealed;
    try {
      sealed =
          cipher(Cipher.ENCRYPT_MODE, keys.active(), nonce, keyId).doFinal(payload.toByteArray());
    } catch (GeneralSecurityException e) {
      throw new PayloadCodecException("AES-GCM encryption failed: " + e.getMessage(), e);
    }
    return Payload.newBuilder()
        .putMetadata(METADATA_ENCODING, utf8(ENCODING))
        .putMetadata(METADATA_KEY_ID, utf8(keyId))
        .putMetadata(METADATA_CIPHER, utf8(CIPHER_NAME))
        .setData(
            ByteString.copyFrom(
                ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array()))
        .build();
  }

  private Payload decrypt(Payload payload) {
    if (!ENCODING.equals(
        payload.getMetadataOrDefault(METADATA_ENCODING, ByteString.EMPTY).toStringUtf8())) {
      return payload;
    }
    String keyId = payload.getMetadataOrDefault(METADATA_KEY_ID, ByteString.EMPTY).toStringUtf8();
    String cipherName =
        payload.getMetadataOrDefault(METADATA_CIPHER, ByteString.EMPTY).toStringUtf8();
    if (!CIPHER_NAME.equals(cipherName)) {
      throw failure(
          "payload encrypted with cipher '" + cipherName + "', this codec reads " + CIPHER_NAME);
    }
    SecretKey key =
        keys.key(keyId)
            .orElseThrow(
                () ->
                    failure(
                        "payload encrypted with key id '"
                            + keyId
                            + "', which is not among this process's payload keys "
                            + keys.ids()
                            + ": add that key behind the active one (QUARRY_PAYLOAD_KEYS or"
                            + " quarry.temporal.security.payload-keys-file) to read histories written with it"));
    byte[] data = payload.getData().toByteArray();
    if (data.length < NONCE_BYTES + TAG_BITS / 8) {
      throw failure("encrypted payload (key id '" + keyId + "') is too short to be AES-GCM output");
    }
    try {
      byte[] plain =
          cipher(Cipher.DECRYPT_MODE, key, Arrays.copyOf(data, NONCE_BYTES), keyId)
              .doFinal(data, NONCE_BYTES, data.length - NONCE_BYTES);
      return Payload.parseFrom(plain);
    } catch (AEADBadTagException e) {
      throw failure(
          "payload with key id '"
              + keyId
              + "' failed authentication: the key material for that id"
              + " differs from the one that encrypted it, or the payload was altered");
    } catch (GeneralSecurityException | InvalidProtocolBufferException e) {
      throw failure("cannot decrypt a payload with key id '" + keyId + "': " + e.getMessage());
    }
  }

  private static Cipher cipher(int mode, SecretKey key, byte[] nonce, String keyId)
      throws GeneralSecurityException {
    Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
    cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
    cipher.updateAAD(keyId.getBytes(StandardCharsets.UTF_8));
    return cipher;
  }

  private static PayloadCodecException failure(String message) {
    return new PayloadCodecException(message);
  }

  private static ByteString utf8(String text) {
    return ByteString.copyFromUtf8(text);
  }
}
