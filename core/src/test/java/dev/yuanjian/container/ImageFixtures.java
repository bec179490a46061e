package dev.yuanjian.container;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import javax.imageio.ImageIO;

/** Images and XMP values for the container and painter tests, built in code: no downloaded files. */
public final class ImageFixtures {
    /** The GB 45438 implicit label's property, as the label mark writes it. */
    public static final MetadataKey AIGC = new MetadataKey("AIGC", "http://www.tc260.org.cn/ns/AIGC/1.0/", "TC260");
    /** The IPTC digital source type, written next to it. */
    public static final MetadataKey SOURCE_TYPE =
            new MetadataKey("DigitalSourceType", "http://iptc.org/std/Iptc4xmpExt/2008-02-29/", "Iptc4xmpExt");
    public static final String TRAINED_ALGORITHMIC_MEDIA = "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia";

    private ImageFixtures() {
    }

    /** A GB 45438 label as stored in {@link #AIGC}, with {@code code} as its ReservedCode1. */
    public static String label(String code) {
        return "{\"AIGC\":{\"Label\":\"1\",\"ContentProducer\":\"001191440300708461136T1XGW3\","
                + "\"ProduceID\":\"img-20250901-0001\",\"ReservedCode1\":\"" + code + "\","
                + "\"ContentPropagator\":\"001191440300708461136T1XGW3\",\"PropagateID\":\"img-20250901-0001\","
                + "\"ReservedCode2\":\"\"}}";
    }

    /** A gradient with a white disc; translucent when {@code alpha}. */
    public static BufferedImage picture(int w, int h, boolean alpha) {
        BufferedImage img = new BufferedImage(w, h, alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int rgb = ((x * 255 / w) << 16) | ((y * 255 / h) << 8) | 0x80;
                img.setRGB(x, y, alpha ? (0xC0 << 24) | rgb : rgb);
            }
        }
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillOval(w / 4, h / 4, w / 2, h / 2);
        g.dispose();
        return img;
    }

    /** An 8-bit grey image: a horizontal ramp from 40 to 200. */
    public static BufferedImage grey(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.getRaster().setSample(x, y, 0, 40 + x * 160 / w);
            }
        }
        return img;
    }

    public static byte[] encode(BufferedImage img, String format) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            if (!ImageIO.write(img, format, out)) {
                throw new IllegalStateException("no " + format + " writer");
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static byte[] png(int w, int h) {
        return encode(picture(w, h, false), "png");
    }

    public static byte[] jpeg(int w, int h) {
        return encode(picture(w, h, false), "jpeg");
    }

    public static BufferedImage decode(byte[] b) {
        try {
            return ImageIO.read(new ByteArrayInputStream(b));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code png} with {@code chunks} (whole chunks) inserted right after IHDR. */
    public static byte[] afterIhdr(byte[] png, byte[]... chunks) {
        int at = 8 + 25;
        return Bytes.concat(Arrays.copyOfRange(png, 0, at), Bytes.concat(chunks), Arrays.copyOfRange(png, at, png.length));
    }

    /** A PNG chunk with a correct CRC. */
    public static byte[] chunk(String type, byte[] data) {
        return PngContainer.chunk(type, data);
    }

    /** An uncompressed XMP iTXt chunk holding {@code packet}. */
    public static byte[] xmpChunk(byte[] packet) {
        return chunk("iTXt", Bytes.concat(ascii(PngContainer.XMP_KEYWORD), new byte[5], packet));
    }

    /** {@code jpeg} with {@code segments} (whole segments) inserted right after SOI. */
    public static byte[] afterSoi(byte[] jpeg, byte[]... segments) {
        return Bytes.concat(Arrays.copyOfRange(jpeg, 0, 2), Bytes.concat(segments), Arrays.copyOfRange(jpeg, 2, jpeg.length));
    }

    /** A JPEG marker segment. */
    public static byte[] segment(int marker, byte[] payload) {
        int len = payload.length + 2;
        return Bytes.concat(new byte[] {(byte) 0xFF, (byte) marker, (byte) (len >>> 8), (byte) len}, payload);
    }

    /** A foreign XMP packet with a Dublin Core property, as another tool writes it. */
    public static String foreignPacket(String extraProperties) {
        return "<?xpacket begin=\"\uFEFF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
                + " <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n"
                + "  <rdf:Description rdf:about=\"\"\n    xmlns:dc=\"http://purl.org/dc/elements/1.1/\"\n"
                + "    xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\">\n"
                + "   <dc:format>image/png</dc:format>\n   <xmp:CreatorTool>画图 3.0</xmp:CreatorTool>\n"
                + extraProperties
                + "  </rdf:Description>\n </rdf:RDF>\n</x:xmpmeta>\n<?xpacket end=\"w\"?>";
    }

    public static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    public static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    public static int count(String hay, String needle) {
        int n = 0;
        for (int i = hay.indexOf(needle); i >= 0; i = hay.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }
}
