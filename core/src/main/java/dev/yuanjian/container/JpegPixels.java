package dev.yuanjian.container;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Transparency;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.WritableRaster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.plugins.jpeg.JPEGImageWriteParam;
import javax.imageio.plugins.jpeg.JPEGQTable;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;
import org.w3c.dom.Node;

/**
 * JPEG pixels in and out of {@code javax.imageio}, re-encoded the way the original was coded:
 * the encoder is given the original's own frame description (the JDK's native JPEG metadata,
 * {@code javax_imageio_jpeg_image_1.0}), so the new file has the original's quantisation tables
 * (the same quality, no guessed figure), component sampling, baseline or progressive coding (the
 * encoder's own progression script: the JDK cannot copy one), its JFIF APP0
 * (density and units) or none, and its Adobe APP14 colour transform. What a container carries
 * over byte for byte (APPn segments other than JFIF and Adobe, comments, the ICC profile) is
 * removed from that description, so the encoder does not write a second copy. Huffman tables are
 * not reused: the original's may lack codes the new pixels need; the encoder computes optimal
 * ones for the new pixels.
 *
 * <p>Pixels with another number of colour components than the original (a caller that turned a
 * grey image into RGB) are encoded with the encoder's own frame at quality {@value #FALLBACK_QUALITY}.
 *
 * <p>Four-component (CMYK, YCCK) JPEGs are read as coded samples ({@code readRaster}) in an
 * {@link AdobeCmykSpace} and written back as coded samples with the original APP14 transform:
 * no colour conversion of the image as a whole, so nothing shifts colour.
 */
final class JpegPixels {
    private static final String NATIVE = "javax_imageio_jpeg_image_1.0";
    /** Quality for pixels the original's frame cannot describe (another number of colour components). */
    static final float FALLBACK_QUALITY = 0.92f;

    private JpegPixels() {
    }

    /**
     * The pixels of {@code bytes} (a JPEG reduced to its frame, see {@code JpegContainer}): grey, RGB, or CMYK/YCCK samples in an {@link AdobeCmykSpace}.
     *
     * @throws FormatException as {@link ImagePixels#decode(byte[], String)}
     */
    static BufferedImage decode(byte[] bytes, String where) throws FormatException {
        return ImagePixels.decode(bytes, where, false, reader -> {
            IIOMetadataNode tree = (IIOMetadataNode) reader.getImageMetadata(0).getAsTree(NATIVE);
            if (components(tree) != 4) {
                return reader.read(0);
            }
            java.awt.image.Raster coded = reader.readRaster(0, null);
            WritableRaster samples = coded instanceof WritableRaster w && coded.getMinX() == 0 && coded.getMinY() == 0
                    ? w : coded.createCompatibleWritableRaster();
            if (samples != coded) {
                samples.setRect(coded);
            }
            Node adobe = first(tree, "app14Adobe");
            boolean ycck = adobe != null && "2".equals(attribute(adobe, "transform"));
            ComponentColorModel cm = new ComponentColorModel(new AdobeCmykSpace(ycck), false, false,
                    Transparency.OPAQUE, DataBuffer.TYPE_BYTE);
            return new BufferedImage(cm, samples, false, null);
        });
    }

    /**
     * {@code pixels} (the size of {@code original}, a JPEG reduced to its frame) encoded as {@code original} was: see the class
     * comment. An image with alpha is flattened onto white first (JPEG has no alpha).
     *
     * @throws FormatException when the original's header cannot be read or the encoder fails
     */
    static byte[] encode(byte[] original, BufferedImage pixels, String where) throws FormatException {
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("jpeg");
        if (!writers.hasNext()) {
            throw new FormatException(where + ": no JPEG encoder is installed in this Java runtime");
        }
        ImageWriter writer = writers.next();
        ByteArrayOutputStream out = new ByteArrayOutputStream(original.length + original.length / 4);
        try (ImageOutputStream ios = new javax.imageio.stream.MemoryCacheImageOutputStream(out)) {
            IIOMetadata frame = frame(original, writer, where);
            writer.setOutput(ios);
            JPEGImageWriteParam param = new JPEGImageWriteParam(null);
            param.setOptimizeHuffmanTables(true);
            IIOMetadataNode tree = (IIOMetadataNode) frame.getAsTree(NATIVE);
            Node sof = first(tree, "sof");
            if (sof != null && "2".equals(attribute(sof, "process"))) {
                // The JDK cannot copy a progression script from metadata; its own script keeps the file progressive.
                param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
            }
            int components = components(tree);
            if (pixels.getColorModel().getColorSpace() instanceof AdobeCmykSpace) {
                writer.write(null, new IIOImage(pixels.getRaster(), null, frame), param);
            } else if (pixels.getColorModel().getNumColorComponents() == components) {
                writer.write(null, new IIOImage(opaque(pixels), null, frame), param);
            } else {
                // Pixels of another colour model than the original's (a caller turned grey into RGB):
                // the original's frame cannot describe them; the encoder's own, at a high quality.
                param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                param.setCompressionQuality(FALLBACK_QUALITY);
                writer.write(null, new IIOImage(opaque(pixels), null, null), param);
            }
        } catch (IOException | RuntimeException e) {
            throw new FormatException(where + ": the image could not be encoded as JPEG (" + e.getMessage() + ")", e);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    /** The original's frame description, without what the container carries over and without Huffman tables. */
    private static IIOMetadata frame(byte[] original, ImageWriter writer, String where)
            throws IOException, FormatException {
        try (ImageInputStream in = new javax.imageio.stream.MemoryCacheImageInputStream(new ByteArrayInputStream(original))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new FormatException(where + ": no JPEG decoder accepts the original");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, false);
                IIOMetadata metadata = reader.getImageMetadata(0);
                IIOMetadataNode tree = (IIOMetadataNode) metadata.getAsTree(NATIVE);
                reusableTables(tree, where);
                Node jfif = first(tree, "app0JFIF");
                if (jfif != null) {
                    removeAll(jfif, "app2ICC");
                }
                Node sequence = first(tree, "markerSequence");
                if (sequence != null) {
                    removeAll(sequence, "unknown");
                    removeAll(sequence, "com");

                }
                metadata.setFromTree(NATIVE, tree);
                return metadata;
            } finally {
                reader.dispose();
            }
        }
    }

    /**
     * Refuses quantisation tables the encoder cannot reuse. A zero entry (ITU-T T.81 B.2.4.1 allows
     * 1 to 255, or 65535 for 16-bit tables) is read by every decoder, but the JDK's native encoder
     * divides by it: the whole Java process dies of SIGFPE, so this must be caught before it runs.
     */
    private static void reusableTables(IIOMetadataNode tree, String where) throws FormatException {
        org.w3c.dom.NodeList tables = tree.getElementsByTagName("dqtable");
        for (int i = 0; i < tables.getLength(); i++) {
            IIOMetadataNode table = (IIOMetadataNode) tables.item(i);
            if (!(table.getUserObject() instanceof JPEGQTable q)) {
                continue;
            }
            for (int value : q.getTable()) {
                if (value < 1) {
                    throw new FormatException(where + ": quantisation table " + attribute(table, "qtableId")
                            + " holds a zero, which the JPEG standard does not allow; the image cannot be re-encoded to "
                            + "draw the visible label. Label it without the visible label (--no-explicit, or "
                            + "explicit=false in the API), which leaves its pixels as they are, or re-save it first");
                }
            }
        }
    }

    private static BufferedImage opaque(BufferedImage image) {
        if (!image.getColorModel().hasAlpha()) {
            return image;
        }
        BufferedImage rgb = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = rgb.createGraphics();
        g.drawImage(image, 0, 0, Color.WHITE, null);
        g.dispose();
        return rgb;
    }

    private static int components(IIOMetadataNode tree) {
        Node sof = first(tree, "sof");
        if (sof == null) {
            return 0;
        }
        String n = attribute(sof, "numFrameComponents");
        return n == null ? sof.getChildNodes().getLength() : Integer.parseInt(n);
    }

    private static Node first(Node root, String name) {
        for (Node c = root.getFirstChild(); c != null; c = c.getNextSibling()) {
            if (c.getNodeName().equals(name)) {
                return c;
            }
            Node deeper = first(c, name);
            if (deeper != null) {
                return deeper;
            }
        }
        return null;
    }

    private static void removeAll(Node parent, String name) {
        Node c = parent.getFirstChild();
        while (c != null) {
            Node next = c.getNextSibling();
            if (c.getNodeName().equals(name)) {
                parent.removeChild(c);
            }
            c = next;
        }
    }

    private static String attribute(Node node, String name) {
        Node a = node.getAttributes() == null ? null : node.getAttributes().getNamedItem(name);
        return a == null ? null : a.getNodeValue();
    }
}
