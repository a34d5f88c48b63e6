import type { FC } from 'hono/jsx';
import { ROLES, type Role } from '../../vocabulary/actors';
import type { Translate } from '../../vocabulary/locales';

/** Most accounts are counter staff: they come first. */
const DISPLAY_ORDER: readonly Role[] = ['staff', 'official', 'admin'];

/** The roles as radio buttons, each with what it may do. */
export const RoleChoice: FC<{ t: Translate; value: Role | undefined; error?: string | undefined }> = ({ t, value, error }) => (
  <fieldset class={error ? 'field field-error' : 'field'} aria-describedby={error ? 'role-error' : undefined}>
    <legend>{t('accounts.role')}</legend>
    {error ? (
      <p class="error-message" id="role-error">
        {error}
      </p>
    ) : null}
    {DISPLAY_ORDER.map((role) => (
      <div class="choice">
        <input type="radio" id={`role-${role}`} name="role" value={role} checked={value === role} />
        <label for={`role-${role}`}>
          <strong>{t(`common.roles.${role}`)}</strong> · <span class="muted">{t(`accounts.roleHint.${role}`)}</span>
        </label>
      </div>
    ))}
  </fieldset>
);

export const asRole = (value: unknown): Role | undefined => ROLES.find((r) => r === value);
