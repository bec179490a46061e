package dev.yuanjian.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.junit.jupiter.api.Test;

/** The memory an image's pixels take is checked from its header, before anything is decoded. */
class ImagePixelsTest {

    @Test
    void bytesPerPixelComeFromTheHeader() throws Exception {
        ComponentColorModel rgba16 = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB), true, false,
                Transparency.TRANSLUCENT, DataBuffer.TYPE_USHORT);
        BufferedImage deep = new BufferedImage(rgba16, rgba16.createCompatibleWritableRaster(4, 3), false, null);
        assertThat(bytesPerPixel(png(deep))).isEqualTo(8);
        assertThat(bytesPerPixel(png(new BufferedImage(4, 3, BufferedImage.TYPE_BYTE_GRAY)))).isEqualTo(1);
        assertThat(bytesPerPixel(ImageFixtures.jpeg(4, 3))).isEqualTo(3);
    }

    @Test
    void anImageWhosePixelsWouldNotFitIsRefusedWithWhatToDo() throws Exception {
        // Reported: a 777 KB PNG of 10,000 x 10,000 RGBA pixels at 16 bits ran a 1 GB server out of memory.
        long budget = 512L << 20;
        assertThatThrownBy(() -> ImagePixels.requireMemory(10_000, 10_000, 8, budget, "deep.png"))
                .isInstanceOf(FormatException.class)
                .hasMessageContaining("deep.png").hasMessageContaining("MiB").hasMessageContaining("scale it down")
                .hasMessageContaining("-Xmx");
        // A 12-megapixel photo fits.
        ImagePixels.requireMemory(4_000, 3_000, 3, budget, "photo.jpg");
    }

    private static byte[] png(BufferedImage image) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(ImageIO.write(image, "png", out)).isTrue();
        return out.toByteArray();
    }

    private static long bytesPerPixel(byte[] file) throws Exception {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(file))) {
            ImageReader reader = ImageIO.getImageReaders(in).next();
            try {
                reader.setInput(in, true, true);
                return ImagePixels.bytesPerPixel(reader);
            } finally {
                reader.dispose();
            }
        }
    }
}
