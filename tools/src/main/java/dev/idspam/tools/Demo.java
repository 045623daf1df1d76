package dev.idspam.tools;

import dev.idspam.datasets.locate.DataLocator;
import dev.idspam.datasets.task.Split;
import dev.idspam.graphs.artifacts.Artifacts;
import dev.idspam.pipeline.run.BundleCheck;
import dev.idspam.pipeline.run.Export;
import dev.idspam.pipeline.run.Generate;
import dev.idspam.pipeline.run.LocalPredictor;
import dev.idspam.pipeline.run.RunSettings;
import dev.idspam.pipeline.run.TrainJob;
import dev.idspam.serving.Bundle;
import dev.idspam.serving.Predictor;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The whole chain on the embedded default, in a bounded budget: ID-SPAM at layer 3 of MiniLM on a
 * seeded subset of SST-2, then evaluation, export, a check that the bundle reproduces evaluation,
 * and predictions on a few sentences.
 */
final class Demo {
    private static final List<String> SENTENCES = List.of(
            "a gorgeous, witty and deeply moving film .",
            "the plot is thin and the acting is even thinner .",
            "it never quite decides what it wants to be , but the ride is fun .");

    private Demo() {
    }

    static int run(Args a) throws Exception {
        Path work = Path.of(a.get("out"));
        Path artifacts = work.resolve("artifacts");
        Path bundle = work.resolve("bundle");
        Generate.Spec gen = Main.generateSpec(a, artifacts);
        // the demo's own defaults (2 epochs on 12,000 examples) are declared with its options in Cli
        TrainJob.Spec train = Main.trainSpec(a, artifacts);
        RunSettings rs = train.run();
        a.finish();

        step("1/5 generate", gen.method().id() + gen.method().layer().stream().mapToObj(m -> " at layer " + m).findFirst()
                .orElse("") + " of " + gen.backbone() + ", task " + gen.task().shortName());
        Artifacts art = Generate.run(gen);
        Main.progress(String.format(Locale.ROOT, "    trainable %,d, frozen %,d -> %s", art.manifest().trainable().elements(),
                art.manifest().frozen().elements(), artifacts));

        step("2/5 train", train.epochs() + " epoch(s) on " + (train.maxTrainSamples() == 0 ? "all"
                : String.format(Locale.ROOT, "%,d", train.maxTrainSamples())) + " training examples from "
                + DataLocator.builder().dataDirs(train.data()).downloads(false).build().find(gen.task(), Split.TRAIN)
                        .map(Path::toString).orElse("(not found on disk)"));
        TrainJob.Outcome o = TrainJob.run(train, Main.trainingListener());
        Main.printReport(o.report());

        step("3/5 export", bundle.toString());
        Bundle b = Export.run(artifacts, null, bundle, rs);
        Main.progress("    " + b.model());

        step("4/5 verify", "the exported graph against evaluation on the whole dev set");
        BundleCheck.Result check = BundleCheck.run(bundle, artifacts, train.data(), 32);
        Main.progress(String.format(Locale.ROOT, "    %d/%d identical labels, max |logit difference| %.2e", check.sameLabel(),
                check.examples(), check.maxAbsLogitDiff()));

        step("5/5 predict", "");
        try (Predictor p = LocalPredictor.open(bundle)) {
            for (String s : SENTENCES) {
                Predictor.Prediction pr = p.predict(s, null);
                // the bundle names its labels (negative / positive for SST-2)
                System.out.printf(Locale.ROOT, "    %-9s p=%.3f  %s%n", pr.label(), pr.probabilities().get(pr.label()), s);
            }
        }
        System.out.println("report: " + o.reportMarkdown());
        return check.identicalLabels() && o.report().frozenWeightsUnchanged() ? 0 : 1;
    }

    private static void step(String name, String what) {
        Main.progress("== " + name + (what.isEmpty() ? "" : ": " + what));
    }
}
