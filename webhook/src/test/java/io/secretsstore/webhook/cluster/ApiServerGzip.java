package io.secretsstore.webhook.cluster;

import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * Response compression as the API server does it ({@code SerializeObject} and {@code
 * deferredResponseWriter} in {@code
 * k8s.io/apiserver/pkg/endpoints/handlers/responsewriters/writers.go}): a body larger than
 * {@code defaultGzipThresholdBytes} (128 KiB) goes out gzip-compressed at level 1 when the request
 * accepts gzip, with {@code Vary: Accept-Encoding}; smaller ones as they are. Compressed anew for
 * every request, as the API server does, so the mock pays the CPU a real server pays.
 */
final class ApiServerGzip {

  static final int THRESHOLD_BYTES = 128 * 1024;

  private ApiServerGzip() {}

  /** A 200 with {@code json}, compressed if the API server would compress it. */
  static MockResponse answer(RecordedRequest request, String json) {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    MockResponse response =
        new MockResponse().setResponseCode(200).setHeader("Content-Type", "application/json");
    if (body.length <= THRESHOLD_BYTES || !acceptsGzip(request.getHeader("Accept-Encoding"))) {
      return response.setBody(body);
    }
    return response
        .setHeader("Content-Encoding", "gzip")
        .setHeader("Vary", "Accept-Encoding")
        .setBody(gzip(body));
  }

  /** As {@code responseContentEncodingSupported}: any listed coding named gzip. */
  static boolean acceptsGzip(String acceptEncoding) {
    if (acceptEncoding == null) {
      return false;
    }
    for (String coding : acceptEncoding.split(",")) {
      if (coding.split(";")[0].strip().equalsIgnoreCase("gzip")) {
        return true;
      }
    }
    return false;
  }

  private static byte[] gzip(byte[] body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(body.length / 8);
    try (GZIPOutputStream gzip = new LevelOneGzip(out)) {
      gzip.write(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** Go's {@code gzip.NewWriterLevel(w, 1)}: best speed. */
  private static final class LevelOneGzip extends GZIPOutputStream {
    LevelOneGzip(ByteArrayOutputStream out) throws IOException {
      super(out, 64 * 1024);
      def.setLevel(Deflater.BEST_SPEED);
    }
  }
}
