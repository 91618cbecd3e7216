/**
 * Just enough of npm's config format to find a registry and its token:
 * `key=value` lines, `;`/`#` comments, quoted values and `${ENV}` expansion,
 * parsed the way npm's `ini` and `@npmcli/config` do.
 */
export type NpmConfig = Map<string, string>;

export function parseNpmrc(text: string, env: NodeJS.ProcessEnv): NpmConfig {
  const config: NpmConfig = new Map();
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (line === "" || line.startsWith(";") || line.startsWith("#") || line.startsWith("[")) continue;
    const eq = line.indexOf("=");
    if (eq <= 0) continue;
    const key = expandEnv(line.slice(0, eq).trim(), env);
    const value = expandEnv(unquote(line.slice(eq + 1).trim()), env);
    if (key.endsWith("[]")) continue; // arrays are never about registries
    config.set(key, value);
  }
  return config;
}

/** `npm_config_*` variables, named as npm names them (see @npmcli/config's loadEnv). */
export function npmConfigFromEnv(env: NodeJS.ProcessEnv): NpmConfig {
  const config: NpmConfig = new Map();
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || value === "" || !/^npm_config_/i.test(name)) continue;
    let key = name.slice("npm_config_".length);
    if (!key.startsWith("//")) key = key.replace(/(?!^)_/g, "-").toLowerCase();
    config.set(key, value);
  }
  return config;
}

/** `${NAME}` becomes the variable's value, `${NAME?}` may be empty; unknown names stay as written, as in npm. */
export function expandEnv(value: string, env: NodeJS.ProcessEnv): string {
  return value.replace(/(?<!\\)(\\*)\$\{([^${}?]+)(\?)?\}/g, (whole, escapes: string, name: string, optional) => {
    if (escapes.length % 2 === 1) return whole.slice((escapes.length + 1) / 2);
    const found = env[name] ?? (optional === "?" ? "" : `\${${name}}`);
    return escapes.slice(escapes.length / 2) + found;
  });
}

function unquote(value: string): string {
  const quote = value[0];
  if ((quote === '"' || quote === "'") && value.endsWith(quote) && value.length >= 2) {
    if (quote === '"') {
      try {
        const parsed: unknown = JSON.parse(value);
        if (typeof parsed === "string") return parsed;
      } catch {
        // fall through to a plain strip, like ini does
      }
    }
    return value.slice(1, -1);
  }
  // Unquoted: an unescaped ; or # starts a comment.
  let out = "";
  for (let i = 0; i < value.length; i++) {
    const c = value.charAt(i);
    if (c === "\\" && (value[i + 1] === ";" || value[i + 1] === "#" || value[i + 1] === "\\")) {
      out += value.charAt(i + 1);
      i++;
    } else if (c === ";" || c === "#") {
      break;
    } else {
      out += c;
    }
  }
  return out.trim();
}
