// What the browser remembers outside the user's own database: who signed in last (so a reload,
// offline too, resumes that session), the device name typed at sign-in, and per username the
// device proof of the last successful sign-in (G1: it only eases throttling, it opens nothing).
// localStorage holds no content and no token; tokens live in the user's IndexedDB (D1 wipes them).

const LAST_USER_KEY = 'keukentafel.lastUserId';
const DEVICE_NAME_KEY = 'keukentafel.deviceName';

function read(key: string): string | null {
  try {
    return window.localStorage.getItem(key);
  } catch {
    return null; // Storage blocked (private mode, policy): start signed out.
  }
}

function write(key: string, value: string | null): void {
  try {
    if (value === null) window.localStorage.removeItem(key);
    else window.localStorage.setItem(key, value);
  } catch {
    // Not remembering is acceptable: the user signs in again next time.
  }
}

export const lastUserId = (): string | null => read(LAST_USER_KEY);
export const rememberUser = (userId: string): void => write(LAST_USER_KEY, userId);
export const forgetUser = (): void => write(LAST_USER_KEY, null);
export const rememberedDeviceName = (): string | null => read(DEVICE_NAME_KEY);
export const rememberDeviceName = (name: string): void => write(DEVICE_NAME_KEY, name);

const proofKey = (username: string): string => `keukentafel.deviceProof.${username.trim().toLowerCase()}`;
/** Kept across sign-out on purpose: the owner signing in again is who it is for. */
export const deviceProofFor = (username: string): string | null => read(proofKey(username));
export const rememberDeviceProof = (username: string, proof: string): void => write(proofKey(username), proof);
