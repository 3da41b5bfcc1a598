package org.dsvmpools.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ArmErrorsTest {

    @ParameterizedTest(name = "{0} ({1}): {2} because {3}")
    @CsvSource(delimiter = '|', value = {
        "TooManyRequests | 429 | RETRYABLE | ARM throttles per subscription; Retry-After says when",
        "AnotherOperationInProgress | 409 | RETRYABLE | the scale set is busy with an earlier operation",
        "OperationNotAllowedWhileUpdating | 409 | RETRYABLE | the resource is still updating",
        "AllocationFailed | 200 | RETRYABLE | capacity in the region can come back",
        "ZonalAllocationFailed | 200 | RETRYABLE | zonal capacity can come back",
        "InternalServerError | 500 | RETRYABLE | a server fault is not ours",
        "ServiceUnavailable | 503 | RETRYABLE | the service is briefly down",
        "InvalidParameter | 400 | FATAL | the request is wrong and will stay wrong",
        "InvalidResourceName | 400 | FATAL | a name Azure refuses will be refused again",
        "InvalidTemplate | 400 | FATAL | the template is wrong",
        "SkuNotAvailable | 409 | FATAL | the VM size is not offered in that region",
        "QuotaExceeded | 409 | FATAL | raising a quota is a human's job",
        "OperationNotAllowed | 409 | FATAL | usually a quota or a policy, also a human's job",
        "RequestDisallowedByPolicy | 403 | FATAL | an Azure Policy forbids it",
        "AuthorizationFailed | 403 | FATAL | the control plane lacks a role",
        "StorageAccountAlreadyTaken | 409 | FATAL | storage names are global; another tenant has it",
        "quotaexceeded | 409 | FATAL | codes compare without regard to case",
        "SomethingNew | 502 | RETRYABLE | an unknown code with a 5xx status is a server fault",
        "SomethingNew | 400 | FATAL | an unknown code with a 4xx status is a request fault",
        " | 0 | RETRYABLE | no response at all is a network failure",
        " | 408 | RETRYABLE | a timeout can pass",
        " | 404 | FATAL | a missing parent will not appear by waiting"})
    void eachCodeIsClassifiedInOnePlace(String code, int status, ArmErrorClass expected, String reason) {
        assertThat(ArmErrors.classify(code, status)).as(reason).isEqualTo(expected);
    }
}
