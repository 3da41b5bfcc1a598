package org.dsvmpools;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The domain stays free of Azure SDK and Functions types; only {@code azure} and {@code functions} touch them. */
@AnalyzeClasses(packages = "org.dsvmpools", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    private static final String[] DOMAIN = {
        "org.dsvmpools.pool..", "org.dsvmpools.provisioning..", "org.dsvmpools.scaling..", "org.dsvmpools.onboarding.."
    };

    @ArchTest
    static final ArchRule domainUsesNoAzureSdk = noClasses().that().resideInAnyPackage(DOMAIN)
            .should().dependOnClassesThat().resideInAnyPackage("com.azure..")
            .because("the domain must not depend on an SDK; adapters in org.dsvmpools.azure translate");

    @ArchTest
    static final ArchRule domainUsesNoFunctionsTypes = noClasses().that().resideInAnyPackage(DOMAIN)
            .should().dependOnClassesThat().resideInAnyPackage("com.microsoft.azure.functions..")
            .because("bindings belong to the thin classes of org.dsvmpools.functions");

    @ArchTest
    static final ArchRule adaptersDoNotKnowTheFunctionsRuntime = noClasses()
            .that().resideInAPackage("org.dsvmpools.azure..")
            .should().dependOnClassesThat().resideInAnyPackage("com.microsoft.azure.functions..", "org.dsvmpools.functions..");

    @ArchTest
    static final ArchRule domainDoesNotReachOutward = noClasses().that().resideInAnyPackage(DOMAIN)
            .should().dependOnClassesThat().resideInAnyPackage("org.dsvmpools.azure..", "org.dsvmpools.functions..");
}
