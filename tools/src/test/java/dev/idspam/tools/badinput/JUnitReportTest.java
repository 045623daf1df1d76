package dev.idspam.tools.badinput;

import dev.idspam.tools.CliRun;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.Schema;
import javax.xml.validation.SchemaFactory;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * ci-eval's junit.xml is valid JUnit XML as CI renderers read it (junit-report.xsd next to this
 * class): a suite mixing a passing metric, a failed threshold, a failed time budget and a check
 * whose model is missing, and a cuda suite on a machine without CUDA. The counts in the testsuite
 * element add up to its testcase elements, and each problem is a failure or an error, never a skip.
 */
class JUnitReportTest {
    @TempDir
    static Path tmp;
    private static Schema schema;

    @BeforeAll
    static void trainAndExport() throws Exception {
        TinyRun.writeBackbone(tmp.resolve("backbone"), 11);
        TinyRun.writeData(tmp.resolve("data"), 12);
        ok("generate", "--backbone", tmp.resolve("backbone").toString(), "--method", "idspam", "--layer", "1",
                "--prompt-tokens", "2", "--bottleneck", "8", "--generator-heads", "2", "--task", "sst2", "--max-length", "32",
                "--seed", "3", "--out", tmp.resolve("run").toString());
        ok("train", "--artifacts", tmp.resolve("run").toString(), "--data", tmp.resolve("data").toString(), "--epochs", "1",
                "--batch-size", "8", "--seed", "4", "--threads", "1");
        ok("export", "--artifacts", tmp.resolve("run").toString(), "--out", tmp.resolve("bundle").toString(), "--threads", "1");
        schema = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI)
                .newSchema(JUnitReportTest.class.getResource("junit-report.xsd"));
    }

    private static void ok(String... args) {
        CliRun r = CliRun.of(args);
        assertThat(r.exit()).as("idspam %s\n%s", String.join(" ", args), r.err()).isZero();
    }

    private static Path suite(String name, String checks) throws Exception {
        Path f = tmp.resolve(name + ".json");
        Files.writeString(f, "{\"name\": \"" + name + "\", \"data\": \"data\", \"checks\": [" + checks + "]}");
        return f;
    }

    /** Validates junit.xml against the schema and checks that the suite's counts match its testcases. */
    private static Document valid(Path out) throws Exception {
        Path xml = out.resolve("junit.xml");
        schema.newValidator().validate(new StreamSource(xml.toFile()));
        Document d = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(xml.toFile());
        Element suite = (Element) d.getElementsByTagName("testsuite").item(0);
        assertThat(Integer.parseInt(suite.getAttribute("tests"))).isEqualTo(d.getElementsByTagName("testcase").getLength());
        assertThat(Integer.parseInt(suite.getAttribute("failures"))).isEqualTo(d.getElementsByTagName("failure").getLength());
        assertThat(Integer.parseInt(suite.getAttribute("errors"))).isEqualTo(d.getElementsByTagName("error").getLength());
        assertThat(d.getElementsByTagName("skipped").getLength()).isZero();
        return d;
    }

    @Test
    void aMixedSuiteWritesValidJUnitWithFailuresAndErrorsCounted() throws Exception {
        Path s = suite("mixed", "{\"name\": \"fine\", \"model\": \"bundle\", \"min\": {\"accuracy\": 0.0}},"
                + "{\"name\": \"too-high\", \"model\": \"bundle\", \"min\": {\"accuracy\": 1.01},"
                + " \"max_ms_per_sample\": 0.000001},"
                + "{\"name\": \"gone\", \"model\": \"models/gone\", \"min\": {\"accuracy\": 0.5}}");
        Path out = tmp.resolve("mixed-out");
        CliRun r = CliRun.of("ci-eval", s.toString(), "--out", out.toString(), "--threads", "1");
        // a missing model is bad input, which outranks a failed threshold
        assertThat(r.exit()).as(r.err()).isEqualTo(2);
        assertThat(out.resolve("junit.xml")).as(r.err()).exists();
        Document d = valid(out);
        NodeList failures = d.getElementsByTagName("failure");
        assertThat(failures.getLength()).isEqualTo(2);
        assertThat(((Element) failures.item(0)).getAttribute("message")).startsWith("too-high: accuracy is ");
        assertThat(((Element) failures.item(1)).getAttribute("message")).startsWith("too-high: ");
        assertThat(((Element) failures.item(1)).getAttribute("message")).contains("ms per sample, over the budget of");
        NodeList errors = d.getElementsByTagName("error");
        assertThat(errors.getLength()).isEqualTo(1);
        assertThat(((Element) errors.item(0)).getAttribute("message")).startsWith("gone: ").contains("models/gone");
        assertThat(((Element) d.getElementsByTagName("testcase").item(0)).getAttribute("name")).isEqualTo("fine: accuracy >= 0");
    }

    @Test
    void aCudaSuiteOnThisMachineWritesValidJUnitWithAnError() throws Exception {
        Path s = suite("cuda", "{\"name\": \"gpu-dev\", \"model\": \"bundle\", \"device\": \"cuda\", \"min\": {\"accuracy\": 0.5}}");
        Path out = tmp.resolve("cuda-out");
        CliRun r = CliRun.of("ci-eval", s.toString(), "--out", out.toString(), "--threads", "1");
        if (System.getenv("IDSPAM_TEST_CUDA_PRESENT") != null) { // a GPU runner: the check runs there and passes
            assertThat(r.exit()).as(r.err()).isZero();
            valid(out);
            return;
        }
        assertThat(r.exit()).isEqualTo(3);
        Element error = (Element) valid(out).getElementsByTagName("error").item(0);
        assertThat(error.getAttribute("type")).isEqualTo("environment");
        assertThat(error.getTextContent()).contains("CUDA was requested");
    }

    @Test
    void theSchemaRefusesAReportThatRenderersCouldNotRead() {
        // the schema can fail: a testcase without a name, and a skip inside a failure's place twice
        Path bad = tmp.resolve("bad-junit.xml");
        assertThatThrownBy(() -> {
            Files.writeString(bad, "<testsuites><testsuite name=\"s\" tests=\"1\"><testcase classname=\"c\">"
                    + "<failure message=\"m\"/><error message=\"e\"/></testcase></testsuite></testsuites>");
            schema.newValidator().validate(new StreamSource(bad.toFile()));
        }).isInstanceOf(SAXException.class);
    }
}
