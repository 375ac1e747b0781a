// Last-line defence before printing text that came from Terraform (errors, diagnostics): removes the
// values of credential environment variables (each header of TF_VAR_scim_headers too) and anything that looks like a token/password assignment.

const SECRET_ENV = /^(SCIM_TOKEN|SCIM_PASSWORD|TF_VAR_.*|.*_(TOKEN|SECRET|PASSWORD|API_KEY))$/i;
const SECRET_ASSIGNMENT =
  /((?:"|\b)(?:token|password|secret|api_key|app_secret|client_secret|authorization)"?\s*[:=]\s*)("[^"\n]*"|'[^'\n]*'|[^\s,}\n]+)/gi;

/** The values of a map variable given as a JSON object (TF_VAR_scim_headers), each a secret of its own. */
function mapValues(value: string): string[] {
  if (!value.startsWith('{')) return [];
  try {
    const doc = JSON.parse(value) as unknown;
    return doc && typeof doc === 'object' ? Object.values(doc as Record<string, unknown>).filter((v): v is string => typeof v === 'string') : [];
  } catch {
    return [];
  }
}

export function redactSecrets(text: string, env: NodeJS.ProcessEnv = process.env): string {
  let out = text;
  for (const [name, value] of Object.entries(env)) {
    if (!value || value.length < 6 || !SECRET_ENV.test(name)) continue;
    for (const secret of [value, ...mapValues(value)]) if (secret.length >= 6) out = out.split(secret).join('(redacted)');
  }
  out = out.replace(/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{6,}/g, '$1 (redacted)');
  return out.replace(SECRET_ASSIGNMENT, '$1"(redacted)"');
}
