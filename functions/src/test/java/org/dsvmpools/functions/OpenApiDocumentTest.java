package org.dsvmpools.functions;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.TreeMap;
import org.dsvmpools.kit.FunctionHttpRequest;
import org.dsvmpools.kit.FunctionHttpResponse;
import org.dsvmpools.testing.OpenApiContract;
import org.dsvmpools.testing.Requests;
import org.junit.jupiter.api.Test;

/**
 * {@code docs/openapi.json} against the functions themselves: the same calls as their triggers declare, under the
 * same operation ids as their function names. Its responses are checked against real ones in {@code PoolsApiIT}.
 */
class OpenApiDocumentTest {
    private final OpenApiContract contract = OpenApiContract.get();

    /** {@code METHOD /api/route} to function name, from every HTTP trigger in the app. */
    private static Map<String, String> declaredRoutes() {
        Map<String, String> routes = new TreeMap<>();
        new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.dsvmpools.functions").forEach(type -> {
                    for (Method method : type.reflect().getDeclaredMethods()) {
                        for (Annotation[] annotations : method.getParameterAnnotations()) {
                            for (Annotation annotation : annotations) {
                                if (annotation instanceof HttpTrigger trigger) {
                                    for (HttpMethod verb : trigger.methods()) {
                                        routes.put(verb.name() + " /api/" + trigger.route(),
                                                method.getAnnotation(FunctionName.class).value());
                                    }
                                }
                            }
                        }
                    }
                });
        return routes;
    }

    @Test
    void everyHttpTriggerIsDocumentedUnderItsFunctionNameAndNothingElseIs() {
        Map<String, String> declared = declaredRoutes();

        assertThat(declared).hasSizeGreaterThanOrEqualTo(10);
        assertThat(contract.operations()).isEqualTo(declared.keySet());
        declared.forEach((call, function) -> {
            String[] parts = call.split(" ", 2);
            assertThat(contract.document().path("paths").path(parts[1].substring(4))
                    .path(parts[0].toLowerCase()).path("operationId").asText()).as(call).isEqualTo(function);
        });
        assertThat(contract.document().path("openapi").asText()).isEqualTo("3.1.0");
    }

    @Test
    void aResponseTheDocumentDoesNotAllowIsNamed() {
        FunctionHttpRequest<?> request = Requests.get("/api/pools/ml-team");

        assertThat(contract.violations("GET", "/api/pools/ml-team", (FunctionHttpResponse) request
                .createResponseBuilder(com.microsoft.azure.functions.HttpStatus.CONFLICT).build()))
                .containsExactly("GET /api/pools/{name} answered 409, which is not documented");
        assertThat(contract.violations("GET", "/api/pools/ml-team", (FunctionHttpResponse) request
                .createResponseBuilder(com.microsoft.azure.functions.HttpStatus.OK)
                .header("Content-Type", "application/json").body("{\"name\":\"ml-team\",\"colour\":\"red\"}")
                .build())).anySatisfy(v -> assertThat(v).contains("colour"))
                .anySatisfy(v -> assertThat(v).contains("status"));
        assertThat(contract.violations("GET", "/api/pools/ml-team", (FunctionHttpResponse) request
                .createResponseBuilder(com.microsoft.azure.functions.HttpStatus.NOT_FOUND)
                .header("Content-Type", "text/plain").body("gone").build()))
                .containsExactly("GET /api/pools/{name} 404 answered as text/plain; documented: "
                        + "[application/problem+json]");
        assertThat(contract.violations("PUT", "/api/pools/ml-team", (FunctionHttpResponse) request
                .createResponseBuilder(com.microsoft.azure.functions.HttpStatus.OK).build()))
                .containsExactly("PUT /api/pools/ml-team is not documented");
        OpenApiContract.Recorded.drain();
    }
}
