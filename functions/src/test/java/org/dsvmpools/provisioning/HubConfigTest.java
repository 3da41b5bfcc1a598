package org.dsvmpools.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class HubConfigTest {
    @Test
    void anyValueBecomesAPythonLiteralOfExactlyThatValueAndNothingMore() throws IOException, InterruptedException {
        String hostile = "x\"); import os; os.system('id') #\\ \n\t é \u2028 '";

        Process python = new ProcessBuilder("python3", "-c",
                "import ast, sys; sys.stdout.write(ast.literal_eval(sys.stdin.read()))").start();
        python.getOutputStream().write(HubConfig.python(hostile).getBytes(StandardCharsets.US_ASCII));
        python.getOutputStream().close();
        String back = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(python.waitFor(30, TimeUnit.SECONDS)).isTrue();

        assertThat(python.exitValue()).isZero();
        assertThat(back).isEqualTo(hostile);
    }
}
