package dev.idspam.pipeline.run;

import dev.idspam.datasets.task.Task;
import dev.idspam.graphs.backbone.BackboneCatalog;
import dev.idspam.graphs.backbone.BackboneSource;
import dev.idspam.graphs.backbone.BackboneWeights;
import dev.idspam.graphs.build.GraphBuilder;
import dev.idspam.graphs.build.Parameter;
import dev.idspam.graphs.methods.MethodSpec;
import dev.idspam.graphs.methods.TaskModel;
import dev.idspam.graphs.methods.head.ClassificationHead;
import dev.idspam.graphs.methods.head.HeadConfig;

import java.io.IOException;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Exact parameter counts of a method on a backbone, read off the model graph itself (so they are
 * what training really updates): the method's own tensors, the head, and the frozen backbone.
 */
public final class ParameterReport {
    private ParameterReport() {
    }

    /** Counts of one configuration. */
    public record Counts(long method, long head, long frozen, long trainableBackbone) {
        public long trainable() {
            return method + head + trainableBackbone;
        }
    }

    public static Counts count(BackboneWeights weights, MethodSpec spec, Task task) {
        HeadConfig head = task.regression() ? HeadConfig.regressionHead() : HeadConfig.classification(task.numOutputs());
        TaskModel model = new TaskModel(weights, spec.create(), head, 0);
        GraphBuilder b = new GraphBuilder("count");
        model.build(b, false);
        Set<String> headNames = new HashSet<>(ClassificationHead.PARAMETERS);
        Set<String> backboneNames = weights.encoderNames();
        long method = 0;
        long headCount = 0;
        long frozen = 0;
        long trainableBackbone = 0;
        for (Parameter p : b.parameters()) {
            long n = p.initial().numElements();
            if (!p.trainable()) {
                frozen += n;
            } else if (headNames.contains(p.name())) {
                headCount += n;
            } else if (backboneNames.contains(p.name())) {
                trainableBackbone += n;
            } else {
                method += n;
            }
        }
        return new Counts(method, headCount, frozen, trainableBackbone);
    }

    public static String render(String backbone, MethodSpec spec, Task task) throws IOException {
        BackboneSource source = BackboneCatalog.resolve(backbone);
        BackboneWeights weights = source.load();
        Counts c = count(weights, spec, task);
        var cfg = weights.config();
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "backbone %s: %d layers, hidden %d, %d heads, %,d encoder parameters%n",
                source.id(), cfg.layers(), cfg.hidden(), cfg.heads(), weights.elementCount()));
        sb.append(String.format(Locale.ROOT, "method %s %s, task %s (%d outputs)%n", spec.id(), spec.create().config(),
                task.shortName(), task.numOutputs()));
        sb.append(String.format(Locale.ROOT, "  method parameters     %,14d%n", c.method()));
        sb.append(String.format(Locale.ROOT, "  head parameters       %,14d%n", c.head()));
        if (c.trainableBackbone() > 0) {
            sb.append(String.format(Locale.ROOT, "  backbone (trainable)  %,14d%n", c.trainableBackbone()));
        }
        sb.append(String.format(Locale.ROOT, "  trainable             %,14d%n", c.trainable()));
        sb.append(String.format(Locale.ROOT, "  frozen                %,14d%n", c.frozen()));
        sb.append(String.format(Locale.ROOT, "  trainable share       %14.3f%%%n",
                100.0 * c.trainable() / Math.max(1, c.trainable() + c.frozen())));
        return sb.toString();
    }
}
