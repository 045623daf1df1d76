package dev.idspam.runtime;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CudaRequirementTest {
    @Test
    void aMissingPrerequisiteSkipsByDefaultAndFailsWhenCudaIsRequired() {
        assertThatThrownBy(() -> CudaRequirement.require(false, "no GPU core", false))
                .isInstanceOf(TestAbortedException.class).hasMessageContaining("no GPU core");
        assertThatThrownBy(() -> CudaRequirement.require(false, "no GPU core", true))
                .isInstanceOf(AssertionFailedError.class)
                .hasMessage("no GPU core, and CUDA is required (-Didspam.requireCuda=true)");
        assertThatCode(() -> CudaRequirement.require(true, "no GPU core", true)).doesNotThrowAnyException();
    }

    @Test
    void theBuildPassesTheSwitchToTheTests() {
        // the root pom forwards -Didspam.requireCuda (default false) to every test JVM
        org.assertj.core.api.Assertions.assertThat(System.getProperty(CudaRequirement.PROPERTY)).isIn("true", "false");
    }
}
