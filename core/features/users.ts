/**
 * The project's own user model from the first migration, as Django's docs recommend for every new project:
 * switching AUTH_USER_MODEL after the first migration means rewriting migration history, so it cannot be added
 * later. `User` subclasses AbstractUser (username login), so the admin, createsuperuser and third-party apps work
 * unchanged; a profile field or an email login is then an ordinary migration of the team's own.
 */
import type { Feature } from '../feature.js';

/** The app's label: `AUTH_USER_MODEL = "users.User"`, migrations' `("users", ...)`. */
export const USERS_APP = 'users';

export const users: Feature = {
  id: 'users',
  applies: () => true,
  contribute: (_a, slug) => ({
    files: [
      `__slug__/${USERS_APP}/__init__.py`,
      `__slug__/${USERS_APP}/apps.py`,
      `__slug__/${USERS_APP}/models.py`,
      `__slug__/${USERS_APP}/admin.py`,
      `__slug__/${USERS_APP}/migrations/__init__.py`,
      `__slug__/${USERS_APP}/migrations/0001_initial.py`,
      'tests/test_users.py',
    ],
    installedApps: [`${slug}.${USERS_APP}`],
    settings: [{ module: 'base', template: 'config/settings/partials/users.py.ejs', data: { label: USERS_APP } }],
    readme: [
      `Users are the project's own model, \`${slug}/${USERS_APP}/models.py\` (\`AUTH_USER_MODEL = "${USERS_APP}.User"\`), from the first migration: add a profile field there and run \`makemigrations\` as for any model. Refer to it as \`settings.AUTH_USER_MODEL\` in a ForeignKey and \`get_user_model()\` in code, never \`django.contrib.auth.models.User\`.`,
    ],
  }),
};
