// Exit codes of the scimform commands (stable: CI jobs branch on them).
export const EXIT_OK = 0;
/** Something failed (a stack could not be planned or applied, bad option, terraform missing). */
export const EXIT_ERROR = 1;
/** `drift`: the live apps differ from the configuration. */
export const EXIT_DRIFT = 2;
/** `apply`: the accidental-deactivation guard refused the plan. */
export const EXIT_GUARD = 3;
