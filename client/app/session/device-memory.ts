// What the browser remembers outside the user's own database: who signed in last (so a reload,
// offline too, resumes that session) and the device name typed at sign-in. localStorage holds
// no content and no token; tokens live in the user's IndexedDB (D1 wipes them with it).

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
