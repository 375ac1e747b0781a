// Validation of a `scim_user` configuration: static rules (non-empty user_name, well-formed emails, one primary
// per list, on_destroy values) and connector-profile rules checked at plan time (Proxyclick: userName is the
// primary email). Every diagnostic carries the attribute path; unknown values are skipped.
import type { Diagnostic, ObjectValue, Value } from '../plugin/provider-definition';
import { isObjectValue as isObj, isUnknown } from '../plugin/provider-definition';
import type { ConnectorProfile } from '../client';
import { ON_DESTROY_VALUES } from '../provider-config';

const EMAIL = /^[^\s@"<>()[\],;:]+@[^\s@"<>()[\],;:]+\.[^\s@"<>()[\],;:.][^\s@"<>()[\],;:]*$/;

export const looksLikeEmail = (s: string): boolean => EMAIL.test(s);


function err(path: (string | number)[], summary: string, detail: string): Diagnostic {
  return { severity: 'error', summary, detail, path };
}

/** Static checks that need no provider configuration. */
export function validateUserConfig(config: ObjectValue): Diagnostic[] {
  const diags: Diagnostic[] = [];
  const userName = config.user_name;
  if (typeof userName === 'string') {
    if (userName.trim() === '') diags.push(err(['user_name'], 'Empty user_name', 'user_name must not be empty: it is the account\'s unique sign-in name (often the email address).'));
    else if (userName !== userName.trim()) diags.push(err(['user_name'], 'Invalid user_name', `user_name "${userName}" has leading or trailing spaces; SCIM servers would store a different name.`));
  }

  const emails = config.emails;
  if (Array.isArray(emails)) {
    let primaries = 0;
    for (const e of emails) {
      if (!isObj(e)) continue;
      if (typeof e.value === 'string' && !looksLikeEmail(e.value)) {
        diags.push(err(['emails'], 'Invalid email address', `emails contains "${e.value}", which is not an email address (expected name@domain.tld).`));
      }
      if (e.primary === true) primaries++;
    }
    if (primaries > 1) diags.push(err(['emails'], 'More than one primary email', 'At most one entry of emails may have primary = true.'));
  }
  const phones = config.phone_numbers;
  if (Array.isArray(phones)) {
    let primaries = 0;
    for (const p of phones) {
      if (!isObj(p)) continue;
      if (typeof p.value === 'string' && p.value.trim() === '') diags.push(err(['phone_numbers'], 'Empty phone number', 'phone_numbers entries need a non-empty value.'));
      if (p.primary === true) primaries++;
    }
    if (primaries > 1) diags.push(err(['phone_numbers'], 'More than one primary phone number', 'At most one entry of phone_numbers may have primary = true.'));
  }
  if (Array.isArray(config.roles) && config.roles.some((r) => r === '')) {
    diags.push(err(['roles'], 'Empty role', 'roles must not contain an empty string.'));
  }

  const onDestroy = config.on_destroy;
  if (typeof onDestroy === 'string' && !(ON_DESTROY_VALUES as readonly string[]).includes(onDestroy)) {
    diags.push(err(['on_destroy'], 'Invalid on_destroy', `on_destroy = "${onDestroy}" is not allowed; use "deactivate" (keep the account, inactive) or "delete" (remove it).`));
  }
  return diags;
}

/** The email that counts as primary: the one marked primary, else the only one. */
export function primaryEmail(emails: Value | undefined): ObjectValue | undefined {
  if (!Array.isArray(emails)) return undefined;
  const objs = emails.filter(isObj);
  return objs.find((e) => e.primary === true) ?? (objs.length === 1 ? objs[0] : undefined);
}

/** Connector-profile rules, checked at plan time once the provider (and so the profile) is known. */
export function validateUserForProfile(config: ObjectValue, profile: ConnectorProfile): Diagnostic[] {
  const diags: Diagnostic[] = [];
  if (profile.userNameIsEmail) {
    const userName = config.user_name;
    if (typeof userName === 'string' && userName.trim() !== '' && !looksLikeEmail(userName)) {
      diags.push(
        err(
          ['user_name'],
          `${profile.title} needs an email address as user_name`,
          `${profile.title} uses one value for userName and email, so user_name must be an email address; "${userName}" is not.`,
        ),
      );
    }
    const emails = config.emails;
    if (typeof userName === 'string' && Array.isArray(emails) && emails.length > 0) {
      const primary = primaryEmail(emails);
      const value = primary && typeof primary.value === 'string' ? primary.value : undefined;
      if (!primary) {
        diags.push(
          err(['emails'], `${profile.title} needs one primary email equal to user_name`, `Mark the email "${userName}" as primary = true, or leave emails unset: ${profile.title} then uses user_name as the email.`),
        );
      } else if (value !== undefined && value.toLowerCase() !== userName.toLowerCase()) {
        diags.push(
          err(
            ['emails'],
            `${profile.title} keeps user_name and email equal`,
            `${profile.title} uses one value for userName and the primary email, but user_name is "${userName}" and the primary email is "${value}". ` +
              'Set them to the same address, or leave emails unset and the plan will use user_name as the email.',
          ),
        );
      }
    }
  }
  return diags;
}
