// The roles of a user as checkboxes, each with what it lets someone do (B2, the role matrix in
// docs/SPEC.md says the same in full).
import { ROLES, type AdminRole } from '../../../shared/protocol/admin';
import { roleLabels } from './admin-api';

const roleHelp: Record<AdminRole, string> = {
  field: 'Documenten opstellen en indienen.',
  office: 'Inkomende documenten zien, terugsturen, verzending volgen.',
  approver: 'Ingediende documenten goedkeuren (vier ogen).',
  admin: 'Gebruikers, teams en apparaten beheren.',
};

export function RolePicker({ value, onChange }: { value: AdminRole[]; onChange: (roles: AdminRole[]) => void }) {
  return (
    <fieldset class="kt-fieldset kt-roles">
      <legend class="utrecht-form-label kt-legend">Rollen</legend>
      {ROLES.map((role) => (
        <label class="kt-check" key={role}>
          <input
            type="checkbox"
            name="rollen"
            autocomplete="off"
            value={role}
            checked={value.includes(role)}
            onChange={(e) => onChange(e.currentTarget.checked ? [...value, role] : value.filter((r) => r !== role))}
          />
          <span>
            <strong>{roleLabels[role]}</strong>
            <span class="kt-check__help">{roleHelp[role]}</span>
          </span>
        </label>
      ))}
    </fieldset>
  );
}
