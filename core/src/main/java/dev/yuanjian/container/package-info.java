/**
 * File formats, as structure: one {@link dev.yuanjian.container.Container} per format says where a
 * named metadata value lives and how to rewrite it in place, keeping every other byte. {@link
 * dev.yuanjian.container.MarkdownContainer} (front matter key: YAML, TOML or JSON), {@link
 * dev.yuanjian.container.DocxContainer} (custom document property), {@link
 * dev.yuanjian.container.PdfContainer} (Info dictionary key, in an appended metadata revision),
 * {@link dev.yuanjian.container.TextContainer} (the sidecar {@code NAME.aigc.json}: plain text has
 * no place for metadata), {@link dev.yuanjian.container.PngContainer}, {@link dev.yuanjian.container.JpegContainer} and
 * {@link dev.yuanjian.container.WebpContainer} (an XMP property, edited by {@code Xmp}). Formats made of text
 * also offer their body text ({@link dev.yuanjian.container.TextBody}), raster images the JDK decodes their pixels
 * ({@link dev.yuanjian.container.Raster}: PNG, JPEG), and PNG, JPEG and WebP the place of a C2PA manifest store
 * ({@link dev.yuanjian.container.ManifestSlot}: the {@code caBX} chunk, APP11 segments, the RIFF {@code C2PA} chunk).
 * {@link dev.yuanjian.container.Containers} sniffs a file
 * against the signatures the containers declare ({@link dev.yuanjian.container.FormatSignature}).
 * A container also says what a reader should know about a file's structure ({@link
 * dev.yuanjian.container.Notice}: damage read around, encryption, another standard's store it
 * locates but does not interpret, as c2pa-rs's handlers locate a manifest store) and makes a
 * rewritable copy of a file readers open only by repairing it ({@link dev.yuanjian.container.Repaired}).
 *
 * <p>Owns: parsing and checking each format (refusing corrupt, locked or hostile input with a
 * {@link dev.yuanjian.container.FormatException} that says what and where), where metadata lives,
 * rewriting in place deterministically (see the invariants on {@code Container}), sniffing.
 * Must not touch: GB 45438 or any other standard's meaning of a value (marks own that), signatures
 * and digests, the transparency log, drawing visible text ({@code dev.yuanjian.render}).
 * Containers are stateless and thread-safe and never open files: assets arrive as bytes.
 *
 * <p>Package-private helpers: {@code XmlScan} and {@code PdfSyntax} find byte ranges without
 * re-serialising anything; {@code FrontMatter} (with {@code YamlFrontMatter}, {@code TomlFrontMatter},
 * {@code JsonFrontMatter}) decides which leading block of a Markdown file is front matter and edits
 * one entry of it; {@code PdfXref} checks a PDF's cross-reference chain as a strict reader
 * follows it; {@code PdfEncryption} holds the permission check and encrypts the strings of a
 * metadata revision; {@code PdfManifests} locates a C2PA manifest store in a PDF; {@code ZipArchive}
 * rewrites a ZIP copying untouched entries as raw
 * bytes; {@code Scalars} decodes YAML and XML escaping; {@code XmpText} escapes XMP text; {@code ImagePixels}
 * decodes and encodes pixels with the size checked first; {@code JpegPixels} re-encodes a JPEG as the
 * original was coded (its tables, sampling, JFIF, Adobe transform; CMYK and YCCK as coded samples in
 * an {@code AdobeCmykSpace}); {@link dev.yuanjian.container.JpegCoefficients} reads a baseline JPEG's
 * quantised DCT coefficients and writes them back (with {@code JpegHuffman} tables and {@code JpegBits}),
 * so marks change a JPEG without a pixel round trip; {@code ExifOrientation} reads how a viewer turns an image;
 * {@code ExtendedXmp} splits a JPEG's XMP packet that outgrows one segment; {@code MpfIndex} keeps a
 * Multi-Picture file's later images where its index says; {@code Bytes} holds byte search, splicing
 * and the strict UTF-8 check.
 */
package dev.yuanjian.container;
