package dev.yuanjian.server;

import dev.yuanjian.watermark.SyntheticPhotos;
import java.io.ByteArrayOutputStream;
import javax.imageio.ImageIO;

/** Photo-like test images (core's {@link SyntheticPhotos}) as file bytes. */
final class SyntheticPhotoBytes {
    private SyntheticPhotoBytes() {
    }

    static byte[] png(int width, int height) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(SyntheticPhotos.photo(width, height, 31), "png", out);
        return out.toByteArray();
    }
}
