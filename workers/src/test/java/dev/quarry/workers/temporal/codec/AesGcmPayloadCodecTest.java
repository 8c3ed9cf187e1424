package dev.quarry.workers.temporal.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.temporal.api.common.v1.Payload;
import io.temporal.common.converter.CodecDataConverter;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.payload.codec.PayloadCodecException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AesGcmPayloadCodecTest {
  private static final String PROMPT = "Write a hard problem about the Chinese remainder theorem";

  static String newKey(String id) {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return id + ":" + Base64.getEncoder().encodeToString(key);
  }

  private static Payload json(String text) {
    return DefaultDataConverter.STANDARD_INSTANCE.toPayload(Map.of("prompt", text)).orElseThrow();
  }

  @Test
  void encryptedPayloadHidesDataAndEncodingAndDecodesBackExactly() {
    AesGcmPayloadCodec codec = new AesGcmPayloadCodec(PayloadKeyRing.parse(newKey("k1"), "test"));
    Payload plain = json(PROMPT);

    Payload sealed = codec.encode(List.of(plain)).get(0);

    assertEquals("binary/encrypted", sealed.getMetadataOrThrow("encoding").toStringUtf8());
    assertEquals("k1", sealed.getMetadataOrThrow("encryption-key-id").toStringUtf8());
    assertFalse(
        sealed.toByteString().toStringUtf8().contains("Chinese"),
        "no plaintext in the encrypted payload");
    assertFalse(
        sealed.toByteString().toStringUtf8().contains("json/plain"),
        "the inner encoding is encrypted too");
    assertEquals(plain, codec.decode(List.of(sealed)).get(0));
    assertNotEquals(
        sealed.getData(),
        codec.encode(List.of(plain)).get(0).getData(),
        "a fresh nonce every time");
  }

  @Test
  void rotatedKeysStillDecryptOldPayloadsAndNewOnesUseTheFirstKey() {
    String oldKey = newKey("2026-11");
    Payload old =
        new AesGcmPayloadCodec(PayloadKeyRing.parse(oldKey, "test"))
            .encode(List.of(json(PROMPT)))
            .get(0);
    AesGcmPayloadCodec rotated =
        new AesGcmPayloadCodec(PayloadKeyRing.parse(newKey("2026-12") + ",\n" + oldKey, "test"));

    assertEquals(json(PROMPT), rotated.decode(List.of(old)).get(0));
    assertEquals(
        "2026-12",
        rotated
            .encode(List.of(json(PROMPT)))
            .get(0)
            .getMetadataOrThrow("encryption-key-id")
            .toStringUtf8());
  }

  @Test
  void aMissingKeyIdIsNamedInTheError() {
    Payload sealed =
        new AesGcmPayloadCodec(PayloadKeyRing.parse(newKey("gone"), "test"))
            .encode(List.of(json(PROMPT)))
            .get(0);
    AesGcmPayloadCodec other = new AesGcmPayloadCodec(PayloadKeyRing.parse(newKey("k2"), "test"));

    PayloadCodecException e =
        assertThrows(PayloadCodecException.class, () -> other.decode(List.of(sealed)));
    assertTrue(
        e.getMessage().contains("'gone'") && e.getMessage().contains("[k2]"), e.getMessage());
  }

  @Test
  void wrongMaterialUnderTheSameIdAndAlteredPayloadsFailAuthentication() {
    Payload sealed =
        new AesGcmPayloadCodec(PayloadKeyRing.parse(newKey("k1"), "test"))
            .encode(List.of(json(PROMPT)))
            .get(0);
    AesGcmPayloadCodec impostor =
        new AesGcmPayloadCodec(PayloadKeyRing.parse(newKey("k1"), "test"));
    assertTrue(
        assertThrows(PayloadCodecException.class, () -> impostor.decode(List.of(sealed)))
            .getMessage()
            .contains("failed authentication"));

    AesGcmPayloadCodec codec = new AesGcmPayloadCodec(PayloadKeyRing.parse(newKey("k1"), "test"));
    Payload good = codec.encode(List.of(json(PROMPT))).get(0);
    byte[] data = good.getData().toByteArray();
    data[data.length - 1] ^= 1;
    Payload altered = good.toBuilder().setData(ByteString.copyFrom(data)).build();
    assertThrows(PayloadCodecException.class, () -> codec.decode(List.of(altered)));
    // The key id is authenticated: relabelling a payload to another key of the ring fails too.
    AesGcmPayloadCodec two =
        new AesGcmPayloadCodec(PayloadKeyRing.parse(newKey("a") + " " + newKey("b"), "test"));
    Payload underA = two.encode(List.of(json(PROMPT))).get(0);
    Payload relabelled =
        underA.toBuilder().putMetadata("encryption-key-id", ByteString.copyFromUtf8("b")).build();
    assertThrows(PayloadCodecException.class, () -> two.decode(List.of(relabelled)));
  }

  @Test
  void plainPayloadsFromBeforeEncryptionPassThroughDecoding() {
    AesGcmPayloadCodec codec = new AesGcmPayloadCodec(PayloadKeyRing.parse(newKey("k1"), "test"));
    Payload plain = json(PROMPT);
    assertSame(plain, codec.decode(List.of(plain)).get(0));
  }

  @Test
  void theDataConverterRoundTripsValuesAndFailureMessagesThroughTheCodec() {
    AesGcmPayloadCodec codec = new AesGcmPayloadCodec(PayloadKeyRing.parse(newKey("k1"), "test"));
    CodecDataConverter converter =
        new CodecDataConverter(DefaultDataConverter.STANDARD_INSTANCE, List.of(codec), true);

    Payload sealed = converter.toPayload(PROMPT).orElseThrow();
    assertFalse(sealed.toByteString().toStringUtf8().contains("Chinese"));
    assertEquals(PROMPT, converter.fromPayload(sealed, String.class, String.class));

    var failure =
        converter.exceptionToFailure(new IllegalStateException("solver crashed on: " + PROMPT));
    assertFalse(
        failure.toByteString().toStringUtf8().contains("Chinese"),
        "failure messages are encrypted too");
    assertTrue(converter.failureToException(failure).getMessage().contains("Chinese"));
  }

  @Test
  void badKeyTextIsRefusedWithWhatToFixAndNeverEchoesKeyMaterial() {
    String shortKey = "k1:" + Base64.getEncoder().encodeToString(new byte[16]);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> PayloadKeyRing.parse(shortKey, "QUARRY_PAYLOAD_KEYS"));
    assertTrue(
        e.getMessage().contains("32") && e.getMessage().contains("QUARRY_PAYLOAD_KEYS"),
        e.getMessage());
    assertFalse(e.getMessage().contains(shortKey.substring(3)));
    assertThrows(IllegalArgumentException.class, () -> PayloadKeyRing.parse("no-colon", "t"));
    assertThrows(
        IllegalArgumentException.class,
        () -> PayloadKeyRing.parse("bad id:" + newKey("x").substring(2), "t"));
    assertThrows(
        IllegalArgumentException.class, () -> PayloadKeyRing.parse("# only a comment\n", "t"));
    String k = newKey("dup");
    assertThrows(IllegalArgumentException.class, () -> PayloadKeyRing.parse(k + "," + k, "t"));
    assertFalse(
        PayloadKeyRing.parse(k, "t").toString().contains(k.substring(4)),
        "toString shows ids only");
  }
}
