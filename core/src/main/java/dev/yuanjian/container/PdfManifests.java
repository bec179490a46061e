package dev.yuanjian.container;

import java.io.IOException;
import java.util.Map;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSObject;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentNameDictionary;
import org.apache.pdfbox.pdmodel.PDEmbeddedFilesNameTreeNode;
import org.apache.pdfbox.pdmodel.common.PDNameTreeNode;
import org.apache.pdfbox.pdmodel.common.filespecification.PDComplexFileSpecification;

/**
 * Where a PDF keeps a C2PA manifest store (C2PA specification, embedding in PDF): an associated
 * file of the catalog ({@code /AF}) or an embedded file whose file specification says
 * {@code /AFRelationship /C2PA_Manifest}, or whose embedded file stream has the media type
 * {@code application/c2pa}; some writers also put a {@code /c2pa} entry in the catalog. This class
 * only locates the store, as c2pa-rs's PDF handler does; reading and validating it is the C2PA
 * mark's work.
 */
final class PdfManifests {
    private static final COSName AF = COSName.getPDFName("AF");
    private static final COSName RELATIONSHIP = COSName.getPDFName("AFRelationship");
    private static final COSName C2PA_MANIFEST = COSName.getPDFName("C2PA_Manifest");
    private static final int MAX_NAMES = 10_000;

    private PdfManifests() {
    }

    /** True when {@code doc} carries a C2PA manifest store in one of the places above. */
    static boolean hasC2pa(PDDocument doc) throws IOException {
        COSDictionary catalog = doc.getDocumentCatalog().getCOSObject();
        if (catalog.containsKey(COSName.getPDFName("c2pa"))) {
            return true;
        }
        if (catalog.getDictionaryObject(AF) instanceof COSArray af) {
            for (int k = 0; k < af.size(); k++) {
                if (af.getObject(k) instanceof COSDictionary spec && isManifest(spec)) {
                    return true;
                }
            }
        }
        PDDocumentNameDictionary names = doc.getDocumentCatalog().getNames();
        PDEmbeddedFilesNameTreeNode files = names == null ? null : names.getEmbeddedFiles();
        return files != null && inTree(files, 0, new int[1]);
    }

    private static boolean inTree(PDNameTreeNode<PDComplexFileSpecification> node, int depth, int[] seen) throws IOException {
        if (depth > 32 || seen[0] > MAX_NAMES) {
            return false; // a malicious tree: give up quietly, this is a courtesy note
        }
        Map<String, PDComplexFileSpecification> here = node.getNames();
        if (here != null) {
            for (PDComplexFileSpecification spec : here.values()) {
                seen[0]++;
                if (spec != null && isManifest(spec.getCOSObject())) {
                    return true;
                }
            }
        }
        if (node.getKids() != null) {
            for (PDNameTreeNode<PDComplexFileSpecification> kid : node.getKids()) {
                if (inTree(kid, depth + 1, seen)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean isManifest(COSDictionary spec) {
        if (C2PA_MANIFEST.equals(spec.getDictionaryObject(RELATIONSHIP))) {
            return true;
        }
        if (spec.getDictionaryObject(COSName.EF) instanceof COSDictionary ef) {
            for (COSBase file : ef.getValues()) {
                COSBase stream = file instanceof COSObject o ? o.getObject() : file;
                if (stream instanceof COSDictionary d
                        && d.getDictionaryObject(COSName.SUBTYPE) instanceof COSName type
                        && type.getName().equalsIgnoreCase("application/c2pa")) {
                    return true;
                }
            }
        }
        return false;
    }
}
