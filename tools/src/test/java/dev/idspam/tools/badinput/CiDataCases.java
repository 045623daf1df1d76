package dev.idspam.tools.badinput;

import java.util.List;

import static dev.idspam.tools.badinput.Case.cli;

/**
 * Rows for a ci-eval check whose data, task or fields are wrong: each is refused as bad input
 * (exit 2) naming the check and the file, field or label set, before or instead of any verdict.
 * The reports go next to the workspace, so the rows also check that nothing inside it changes.
 */
final class CiDataCases {
    private CiDataCases() {
    }

    private static String suite(String extra) {
        return "{\"checks\": [{\"name\": \"dev\", \"model\": \"sst2/bundle\", \"min\": {\"accuracy\": 0.5}" + extra + "}]}";
    }

    static List<Case> rows() {
        return List.of(
                cli("ci-eval check whose data folder is missing", "", ws -> ws.write("suite.json",
                        suite(", \"data\": \"nowhere\"")), 2, "dev: .*nowhere", "ci-eval", "{ws}/suite.json", "--out",
                        "{ws}/../no-data-reports", "--threads", "1"),
                cli("ci-eval check whose dev file has a row without a label", "", ws -> {
                    ws.write("broken/SST-2/dev.tsv", "sentence\tlabel\na fun film .\t1\na dull film .\n");
                    ws.write("suite.json", suite(", \"data\": \"broken\""));
                }, 2, "dev: .*dev.tsv.*line 3", "ci-eval", "{ws}/suite.json", "--out", "{ws}/../broken-data-reports",
                        "--threads", "1"),
                cli("ci-eval check on a task with other labels", "", ws -> ws.write("suite.json",
                        suite(", \"task\": \"cb\", \"data\": \"data\"")), 2, "dev: .*cannot score a model trained on sst2",
                        "ci-eval", "{ws}/suite.json", "--out", "{ws}/../other-labels-reports", "--threads", "1"),
                cli("ci-eval check on an unknown task", "", ws -> ws.write("suite.json", suite(", \"task\": \"sst3\"")), 2,
                        "suite.json: field 'checks\\[0]\\.task'", "ci-eval", "{ws}/suite.json"),
                cli("ci-eval check on an unknown split", "", ws -> ws.write("suite.json", suite(", \"split\": \"test\"")), 2,
                        "suite.json: field 'checks\\[0]\\.split'", "ci-eval", "{ws}/suite.json"),
                cli("ci-eval check with a negative time budget", "", ws -> ws.write("suite.json",
                        suite(", \"max_ms_per_sample\": -1")), 2, "suite.json: field 'checks\\[0]\\.max_ms_per_sample'",
                        "ci-eval", "{ws}/suite.json"),
                cli("ci-eval check with a negative regression", "", ws -> ws.write("suite.json",
                        suite(", \"max_regression\": -0.1")), 2, "suite.json: field 'checks\\[0]\\.max_regression'",
                        "ci-eval", "{ws}/suite.json"),
                cli("ci-eval check with an unknown metric", "", ws -> ws.write("suite.json",
                        "{\"checks\": [{\"name\": \"dev\", \"model\": \"sst2/bundle\", \"data\": \"data\", \"min\":"
                                + " {\"acuracy\": 0.5}}]}"), 2, "acuracy", "ci-eval", "{ws}/suite.json", "--out",
                        "{ws}/../unknown-metric-reports", "--threads", "1"));
    }
}
