package dev.switchboard.config;

import java.util.Map;

/**
 * Replaces {@code ${VAR}} and {@code ${VAR:-default}} in config strings with environment values,
 * as a shell would; {@code $${} is a literal {@code ${}. Stateless.
 */
final class EnvSubstitution {
    private EnvSubstitution() {
    }

    static String apply(String value, String field, Map<String, String> env) {
        int dollar = value.indexOf('$');
        if (dollar < 0) {
            return value;
        }
        StringBuilder out = new StringBuilder(value.length());
        int i = 0;
        while (i < value.length()) {
            char c = value.charAt(i);
            if (c == '$' && value.startsWith("$${", i)) {
                out.append("${");
                i += 3;
            } else if (c == '$' && value.startsWith("${", i)) {
                int close = value.indexOf('}', i + 2);
                if (close < 0) {
                    throw new ConfigException(field, "unterminated '${' in value");
                }
                out.append(resolve(value.substring(i + 2, close), field, env));
                i = close + 1;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private static String resolve(String expression, String field, Map<String, String> env) {
        int split = expression.indexOf(":-");
        String name = split < 0 ? expression : expression.substring(0, split);
        if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new ConfigException(field, "'${" + expression + "}' does not name an environment variable");
        }
        String value = env.get(name);
        if (split >= 0) {
            // As in POSIX shells, ':-' also applies when the variable is set but empty.
            return value == null || value.isEmpty() ? expression.substring(split + 2) : value;
        }
        if (value == null) {
            throw new ConfigException(field, "environment variable " + name + " is not set and has no default"
                    + " (write ${" + name + ":-default} to give one)");
        }
        return value;
    }
}
