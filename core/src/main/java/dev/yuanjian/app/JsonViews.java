package dev.yuanjian.app;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.yuanjian.ledger.ProvenanceRecord;
import dev.yuanjian.ledger.TransparencyLog;
import dev.yuanjian.label.ExplicitLabelMark;
import dev.yuanjian.label.ImplicitLabelMark;
import dev.yuanjian.mark.Claim;
import dev.yuanjian.mark.Fact;
import dev.yuanjian.mark.Finding;
import dev.yuanjian.mark.Message;
import dev.yuanjian.pipeline.Pipeline;
import dev.yuanjian.verify.Report;
import dev.yuanjian.verify.Verdict;
import java.util.Base64;
import java.util.List;

/**
 * The JSON shapes users see, from {@code --json} on the command line and from the HTTP API alike:
 * one place, so the two never drift apart. Hashes in proofs are base64 (as in tlog and C2SP);
 * content digests are lowercase hex (as {@code sha256sum} prints them).
 */
public final class JsonViews {
    /**
     * Jackson's default buffer pool is per thread, and the gateway serves every call on a new
     * virtual thread: each parse and write then allocated fresh 8-16 KB buffers (a third of the
     * gateway's garbage per call, measured with JFR). A pool shared across threads reuses them.
     */
    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .recyclerPool(JsonRecyclerPools.sharedConcurrentDequePool()).build());

    private JsonViews() {
    }

    public static ObjectMapper mapper() {
        return JSON;
    }

    /**
     * A labelling result: where it was logged, the marks applied, {@code alreadyPresent} (those of
     * them the input already carried, left as they were, e.g. {@code ["explicit"]}), {@code notices} (what the user
     * should know about the input, e.g. that a damaged PDF was repaired; {@code [{en, zh}]}, usually
     * empty), the seven label fields in {@code aigc}, and {@code output} when written to a file.
     */
    public static ObjectNode labelled(Pipeline.Result result, String writtenTo) {
        ObjectNode node = JSON.createObjectNode();
        node.put("contentId", result.contentId());
        node.put("logIndex", result.logIndex());
        node.put("format", result.format());
        node.put("mediaType", result.mediaType());
        node.put("protectedDigest", result.protectedDigest());
        ArrayNode marks = node.putArray("marks");
        result.marks().forEach(marks::add);
        ArrayNode alreadyPresent = node.putArray("alreadyPresent");
        result.alreadyPresent().forEach(alreadyPresent::add);
        ArrayNode notices = node.putArray("notices");
        result.notices().forEach(n -> notices.add(message(n)));
        ObjectNode aigc = node.putObject("aigc");
        result.label().asMap().forEach(aigc::put);
        if (writtenTo != null) {
            node.put("output", writtenTo);
        }
        return node;
    }

    /**
     * The {@code aigc} object of a gateway response: the seven GB 45438 label fields, then where the
     * output was recorded ({@code contentId}, {@code logIndex}) and the hash verify will look it up by.
     */
    public static ObjectNode aigc(Pipeline.Result result) {
        ObjectNode node = JSON.createObjectNode();
        result.label().asMap().forEach(node::put);
        node.put("contentId", result.contentId());
        node.put("logIndex", result.logIndex());
        node.put("mediaType", result.mediaType());
        node.put("sha256", result.protectedDigest());
        return node;
    }

    /**
     * A verify report. {@code findings} lists what every mark's detector found, each with its
     * {@code type}, a bilingual {@code summary}, {@code facts}, {@code notes} and its own
     * {@code view}; {@code aigc} and {@code explicitLabel} repeat what the two GB 45438 findings say,
     * for clients written before findings existed.
     */
    public static ObjectNode report(Report report) {
        ObjectNode node = JSON.createObjectNode();
        node.put("file", report.fileName());
        node.put("format", report.format());
        node.put("mediaType", report.mediaType());
        node.put("verdict", report.verdict().kind());
        ObjectNode summary = node.putObject("summary");
        summary.put("en", Summaries.english(report.verdict()));
        summary.put("zh", Summaries.chinese(report.verdict()));
        node.set("aigc", report.finding(ImplicitLabelMark.NAME)
                .map(f -> JSON.valueToTree(f.view()).path("aigc")).filter(n -> !n.isMissingNode())
                .orElse(com.fasterxml.jackson.databind.node.NullNode.getInstance()));
        node.put("explicitLabel", report.finding(ExplicitLabelMark.NAME).map(Finding::present).orElse(false));
        node.put("sha256", report.sha256());
        node.put("protectedDigest", report.protectedDigest());
        switch (report.verdict()) {
            case Verdict.Intact intact -> {
                node.set("log", logged(intact.entry(), intact.proof(), intact.checkpoint()));
                node.put("role", role(intact.role()));
            }
            case Verdict.Altered altered -> {
                node.set("log", logged(altered.entry(), altered.proof(), altered.checkpoint()));
                node.put("role", role(altered.role()));
            }
            case Verdict.Forged forged -> node.set("reason", message(forged.reason()));
            case Verdict.Labelled labelled -> {
                node.put("party", labelled.party());
                node.put("role", role(labelled.role()));
                node.put("level", labelled.level());
                node.set("reason", message(labelled.reason()));
            }
            case Verdict.Traced traced -> {
                node.set("log", logged(traced.entry(), traced.proof(), traced.checkpoint()));
                node.put("tracedBy", traced.mark());
                node.set("alsoFits", entries(traced.others()));
            }
            case Verdict.Unlabelled unlabelled -> node.set("knownToLog", entries(unlabelled.knownToLog()));
        }
        ArrayNode findings = node.putArray("findings");
        report.findings().forEach(f -> findings.add(finding(f)));
        ArrayNode notes = node.putArray("notes");
        report.notes().forEach(note -> notes.add(message(note)));
        return node;
    }

    /** One finding, whatever its type: the common fields and the type's own {@code view}. */
    public static ObjectNode finding(Finding finding) {
        ObjectNode node = JSON.createObjectNode();
        node.put("mark", finding.mark());
        node.put("type", finding.type());
        node.put("present", finding.present());
        node.set("summary", message(finding.summary()));
        ArrayNode facts = node.putArray("facts");
        for (Fact fact : finding.facts()) {
            facts.addObject().put("name", fact.name()).put("value", fact.value());
        }
        ArrayNode notes = node.putArray("notes");
        finding.notes().forEach(n -> notes.add(message(n)));
        node.set("view", JSON.valueToTree(finding.view()));
        return node;
    }

    private static String role(Claim.Role role) {
        return role == Claim.Role.PRODUCER ? "producer" : "propagator";
    }

    public static ObjectNode logged(TransparencyLog.LoggedEntry entry, TransparencyLog.InclusionProof proof,
                                    TransparencyLog.SignedCheckpoint checkpoint) {
        ObjectNode node = entry(entry);
        node.set("proof", inclusion(proof));
        node.set("checkpoint", checkpoint(checkpoint));
        return node;
    }

    public static ArrayNode entries(List<TransparencyLog.LoggedEntry> entries) {
        ArrayNode array = JSON.createArrayNode();
        entries.forEach(e -> array.add(entry(e)));
        return array;
    }

    public static ObjectNode entry(TransparencyLog.LoggedEntry entry) {
        ObjectNode node = JSON.createObjectNode();
        node.put("index", entry.index());
        node.put("leafHash", b64(entry.leafHash()));
        ProvenanceRecord r = entry.record();
        ObjectNode record = node.putObject("record");
        record.put("contentId", r.contentId());
        record.put("mediaType", r.mediaType());
        record.put("sha256", r.sha256());
        record.put("producer", r.producer());
        record.put("model", r.model());
        record.put("time", r.time().toString());
        record.put("promptDigest", r.promptDigest());
        return node;
    }

    public static ObjectNode inclusion(TransparencyLog.InclusionProof proof) {
        ObjectNode node = JSON.createObjectNode();
        node.put("index", proof.index());
        node.put("treeSize", proof.treeSize());
        node.put("leafHash", b64(proof.leafHash()));
        ArrayNode path = node.putArray("path");
        proof.path().forEach(h -> path.add(b64(h)));
        node.put("rootHash", b64(proof.rootHash()));
        return node;
    }

    public static ObjectNode consistency(TransparencyLog.ConsistencyProof proof) {
        ObjectNode node = JSON.createObjectNode();
        node.put("oldSize", proof.oldSize());
        node.put("newSize", proof.newSize());
        ArrayNode path = node.putArray("path");
        proof.path().forEach(h -> path.add(b64(h)));
        node.put("oldRoot", b64(proof.oldRoot()));
        node.put("newRoot", b64(proof.newRoot()));
        return node;
    }

    public static ObjectNode checkpoint(TransparencyLog.SignedCheckpoint checkpoint) {
        ObjectNode node = JSON.createObjectNode();
        node.put("origin", checkpoint.origin());
        node.put("size", checkpoint.size());
        node.put("rootHash", b64(checkpoint.rootHash()));
        node.put("note", checkpoint.note());
        return node;
    }

    public static ObjectNode audit(TransparencyLog.AuditReport report) {
        ObjectNode node = JSON.createObjectNode();
        node.put("intact", report.intact());
        node.put("entries", report.entries());
        node.put("checkpointsChecked", report.checkpointsChecked());
        ArrayNode problems = node.putArray("problems");
        for (TransparencyLog.Problem p : report.problems()) {
            ObjectNode problem = problems.addObject();
            if (p.index() >= 0) {
                problem.put("index", p.index());
            }
            if (p.checkpointSize() >= 0) {
                problem.put("checkpointSize", p.checkpointSize());
            }
            problem.put("description", p.description());
        }
        return node;
    }

    public static ObjectNode error(String code, String message) {
        ObjectNode node = JSON.createObjectNode();
        ObjectNode error = node.putObject("error");
        error.put("code", code);
        error.put("message", message);
        return node;
    }

    /** {@code {"en": ..., "zh": ...}}. */
    public static ObjectNode message(Message message) {
        ObjectNode node = JSON.createObjectNode();
        node.put("en", message.en());
        node.put("zh", message.zh());
        return node;
    }

    private static String b64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    /** One plain sentence per verdict, in each language; the web page and the CLI show these. */
    public static final class Summaries {
        private Summaries() {
        }

        public static String english(Verdict verdict) {
            return switch (verdict) {
                case Verdict.Intact i -> i.role() == Claim.Role.PRODUCER
                        ? "Labelled as AI-generated by this service and unchanged since: the content matches log entry "
                        + i.entry().index() + "."
                        : "Propagated by this service and unchanged since: the content matches log entry "
                        + i.entry().index() + ".";
                case Verdict.Altered a -> (a.role() == Claim.Role.PRODUCER
                        ? "Labelled as AI-generated by this service" : "Propagated by this service")
                        + ", but the file has been changed since it was labelled (log entry " + a.entry().index() + ").";
                case Verdict.Forged f -> "Carries an AI-generation label that this service did not issue as it stands: "
                        + f.reason().en() + ".";
                case Verdict.Labelled l -> "Labelled " + level(l.level()) + " by " + (l.role() == Claim.Role.PRODUCER
                        ? "producer " : "platform ") + l.party() + "; its seal is not checkable here.";
                case Verdict.Traced t -> "No intact AI-generation label, but this service's invisible watermark "
                        + "names log entry " + t.entry().index() + ": the image was generated here, and has since lost "
                        + "or changed its labels (stripped, re-encoded, resized or cropped).";
                case Verdict.Unlabelled u -> u.knownToLog().isEmpty()
                        ? "No AI-generation label found, and the log does not know this exact content."
                        : "No AI-generation label found, but the log knows this exact content (entry "
                        + u.knownToLog().get(0).index() + "): it was generated here.";
            };
        }

        public static String chinese(Verdict verdict) {
            return switch (verdict) {
                case Verdict.Intact i -> (i.role() == Claim.Role.PRODUCER
                        ? "带有本服务的人工智能生成标识，且内容未被修改：与日志第 " : "由本服务传播，且内容未被修改：与日志第 ")
                        + i.entry().index() + " 条记录一致。";
                case Verdict.Altered a -> (a.role() == Claim.Role.PRODUCER ? "带有本服务的人工智能生成标识" : "由本服务传播")
                        + "，但文件在标识之后已被修改（日志第 " + a.entry().index() + " 条）。";
                case Verdict.Forged f -> "带有人工智能生成标识，但并非本服务按原样签发：" + f.reason().zh() + "。";
                case Verdict.Labelled l -> "由" + (l.role() == Claim.Role.PRODUCER ? "生成服务 " : "传播平台 ") + l.party()
                        + " 标识为" + levelZh(l.level()) + "；其签名无法在此核验。";
                case Verdict.Traced t -> "没有完好的人工智能生成标识，但本服务的隐式水印指向日志第 " + t.entry().index()
                        + " 条记录：该图片由本服务生成，其标识此后已被去除或改变（元数据被剥离、重新编码、缩放或裁剪）。";
                case Verdict.Unlabelled u -> u.knownToLog().isEmpty()
                        ? "未发现人工智能生成标识，日志中也没有与之完全相同的内容。"
                        : "未发现人工智能生成标识，但日志中有完全相同的内容（第 " + u.knownToLog().get(0).index()
                        + " 条）：它由本服务生成。";
            };
        }

        private static String level(String level) {
            return switch (level) {
                case "1" -> "as AI-generated";
                case "2" -> "as possibly AI-generated";
                default -> "as suspected AI-generated";
            };
        }

        private static String levelZh(String level) {
            return switch (level) {
                case "1" -> "人工智能生成";
                case "2" -> "可能为人工智能生成";
                default -> "疑似人工智能生成";
            };
        }
    }
}
