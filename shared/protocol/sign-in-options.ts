// I1, I2, I6: how one may sign in here, and the bodies of the municipal sign-in's own routes.
// zod/mini like the rest of sign-in: the sign-in screen reads these on the first screen's budget.
import * as z from 'zod/mini';

/** GET /api/auth/options: which sign-ins this server offers. */
export const SignInOptionsSchema = z.object({
  /** Username and password (false with LOCAL_LOGIN=off). */
  local: z.boolean(),
  /** The municipality's IdP; null when OIDC_ISSUER is not set. */
  oidc: z.nullable(
    z.object({
      /** Where the browser goes to start (a GET that redirects to the IdP); add `deviceName`. */
      startUrl: z.string().check(z.minLength(1)),
    }),
  ),
});
export type SignInOptions = z.infer<typeof SignInOptionsSchema>;

/** POST /api/auth/oidc/redeem: the one-time ticket the callback put in the app's URL fragment. */
export const OidcRedeemRequestSchema = z.object({
  ticket: z.string().check(z.minLength(16), z.maxLength(200)),
});

/** POST /api/auth/oidc/logout (I6): sign-out here, then the browser goes to the IdP's end of session. */
export const OidcLogoutRequestSchema = z.object({
  refreshToken: z.string().check(z.minLength(1), z.maxLength(200)),
  /** Where the IdP sends the browser back to: this app's own origin, checked by the server. */
  returnTo: z.optional(z.string().check(z.maxLength(2000))),
});
export const OidcLogoutResponseSchema = z.object({
  /** The IdP's end-session URL; null when the IdP has none or the device did not sign in there. */
  endSessionUrl: z.nullable(z.string()),
});

/** The reasons the callback sends the app back with (`/?aanmelden-fout=<reason>`), each with its Dutch text. */
export const OIDC_FAILURES = {
  'oidc-cancelled': 'Aanmelden bij de gemeente is afgebroken.',
  'oidc-expired': 'Het aanmelden duurde te lang of is al gebruikt. Probeer het opnieuw.',
  'oidc-failed': 'Aanmelden bij de gemeente is mislukt. Probeer het opnieuw of neem contact op met de beheerder.',
  'oidc-unreachable': 'De aanmeldservice van de gemeente is nu niet bereikbaar. Probeer het later opnieuw.',
  'no-role': 'Uw gemeente-account heeft geen rol voor Keukentafel. Vraag de beheerder om toegang.',
  'no-team': 'Uw gemeente-account hoort bij geen bekend team. Vraag de beheerder om u aan een team toe te voegen.',
  'account-conflict': 'Er bestaat al een Keukentafel-account met deze gebruikersnaam. De beheerder moet dit oplossen.',
  'user-disabled': 'Uw account is uitgeschakeld. Neem contact op met de beheerder.',
} as const;
export type OidcFailure = keyof typeof OIDC_FAILURES;
