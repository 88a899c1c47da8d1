-- An account whose password someone else chose — an imported cadre's
-- initial password, an administrator's reset — must change it before
-- anything else: the web sends the user to the change-password page and
-- the API refuses every other route until ChangePassword clears the flag.
ALTER TABLE users ADD COLUMN must_change_password BOOLEAN NOT NULL DEFAULT FALSE;
