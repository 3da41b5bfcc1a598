package org.dsvmpools.local;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.BindingName;
import com.microsoft.azure.functions.annotation.EventGridTrigger;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import com.microsoft.azure.functions.annotation.QueueOutput;
import com.microsoft.azure.functions.annotation.QueueTrigger;
import com.microsoft.azure.functions.annotation.TimerTrigger;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Finds the {@code @FunctionName} methods under a package by reflection, reading their binding annotations as
 * azure-functions-maven-plugin does. Nothing is registered by hand. An annotation this host cannot serve stops
 * the start-up with a message naming it, rather than a function that silently never runs.
 */
public final class FunctionDiscovery {
    private static final String ANNOTATION_PACKAGE = "com.microsoft.azure.functions.annotation.";

    private final AppSettings settings;

    public FunctionDiscovery(AppSettings settings) {
        this.settings = settings;
    }

    public List<FunctionDefinition> discover(String packagePrefix) {
        List<FunctionDefinition> functions = new ArrayList<>();
        for (Class<?> type : classesUnder(packagePrefix)) {
            for (Method method : type.getMethods()) {
                FunctionName name = method.getAnnotation(FunctionName.class);
                if (name != null) {
                    functions.add(define(name.value(), method));
                }
            }
        }
        functions.sort(Comparator.comparing(FunctionDefinition::name));
        return functions;
    }

    FunctionDefinition define(String name, Method method) {
        String where = "function " + name + " (" + method.getDeclaringClass().getSimpleName() + "."
                + method.getName() + ")";
        FunctionDefinition.Trigger trigger = null;
        List<FunctionDefinition.Parameter> parameters = new ArrayList<>();
        for (java.lang.reflect.Parameter parameter : method.getParameters()) {
            FunctionDefinition.Parameter binding = null;
            for (Annotation annotation : parameter.getAnnotations()) {
                if (annotation instanceof HttpTrigger http) {
                    trigger = new FunctionDefinition.HttpTriggerDef(settings.resolve(http.route(), where),
                            Arrays.stream(http.methods()).map(m -> m.name().toUpperCase(Locale.ROOT)).toList(),
                            http.authLevel().name());
                    binding = new FunctionDefinition.TriggerPayload(parameter.getType());
                } else if (annotation instanceof TimerTrigger timer) {
                    trigger = new FunctionDefinition.TimerTriggerDef(settings.resolve(timer.schedule(), where));
                    binding = new FunctionDefinition.TriggerPayload(parameter.getType());
                } else if (annotation instanceof QueueTrigger queue) {
                    trigger = new FunctionDefinition.QueueTriggerDef(settings.resolve(queue.queueName(), where),
                            connection(queue.connection()));
                    binding = new FunctionDefinition.TriggerPayload(parameter.getType());
                } else if (annotation instanceof EventGridTrigger) {
                    trigger = new FunctionDefinition.EventGridTriggerDef();
                    binding = new FunctionDefinition.TriggerPayload(parameter.getType());
                } else if (annotation instanceof QueueOutput output) {
                    binding = new FunctionDefinition.QueueOutputDef(settings.resolve(output.queueName(), where),
                            connection(output.connection()));
                } else if (annotation instanceof BindingName bindingName) {
                    binding = new FunctionDefinition.BindingData(bindingName.value());
                } else if (annotation.annotationType().getName().startsWith(ANNOTATION_PACKAGE)) {
                    throw new IllegalStateException(where + " uses @" + annotation.annotationType().getSimpleName()
                            + ", which the local host does not support (supported: HttpTrigger, TimerTrigger,"
                            + " QueueTrigger, EventGridTrigger, QueueOutput, BindingName)");
                }
            }
            if (binding == null && parameter.getType() == ExecutionContext.class) {
                binding = new FunctionDefinition.Context();
            }
            if (binding == null) {
                throw new IllegalStateException(where + ": parameter '" + parameter.getName()
                        + "' has no binding annotation the local host knows");
            }
            parameters.add(binding);
        }
        if (trigger == null) {
            throw new IllegalStateException(where + " has no trigger the local host supports");
        }
        return new FunctionDefinition(name, method, trigger, parameters);
    }

    /** Binding connections name a setting; empty means AzureWebJobsStorage, as in the real host. */
    private String connection(String connection) {
        String name = connection == null || connection.isEmpty() ? "AzureWebJobsStorage" : connection;
        String value = settings.values().get(name);
        if (value == null) {
            throw new IllegalStateException("connection setting '" + name + "' is not set");
        }
        return value;
    }

    private static List<Class<?>> classesUnder(String packagePrefix) {
        List<Class<?>> classes = new ArrayList<>();
        String pathPrefix = packagePrefix.replace('.', '/');
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            Path root = Paths.get(entry);
            for (String className : classNames(root, pathPrefix)) {
                try {
                    Class<?> type = Class.forName(className, false, FunctionDiscovery.class.getClassLoader());
                    if (Modifier.isPublic(type.getModifiers())) {
                        classes.add(type);
                    }
                } catch (ClassNotFoundException | LinkageError e) {
                    throw new IllegalStateException("cannot load " + className + " from " + root, e);
                }
            }
        }
        return classes;
    }

    private static List<String> classNames(Path root, String pathPrefix) {
        List<String> names = new ArrayList<>();
        try {
            if (Files.isDirectory(root)) {
                Path base = root.resolve(pathPrefix);
                if (Files.isDirectory(base)) {
                    try (Stream<Path> files = Files.walk(base)) {
                        files.map(file -> root.relativize(file).toString().replace(java.io.File.separatorChar, '/'))
                                .filter(FunctionDiscovery::isTopLevelClass)
                                .forEach(file -> names.add(className(file)));
                    }
                }
            } else if (root.toString().endsWith(".jar") && Files.isRegularFile(root)) {
                try (JarFile jar = new JarFile(root.toFile())) {
                    for (Enumeration<JarEntry> entries = jar.entries(); entries.hasMoreElements(); ) {
                        String file = entries.nextElement().getName();
                        if (file.startsWith(pathPrefix + "/") && isTopLevelClass(file)) {
                            names.add(className(file));
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot scan " + root, e);
        }
        return names;
    }

    private static boolean isTopLevelClass(String file) {
        return file.endsWith(".class") && !file.contains("$") && !file.endsWith("module-info.class");
    }

    private static String className(String file) {
        return file.substring(0, file.length() - ".class".length()).replace('/', '.');
    }

}
