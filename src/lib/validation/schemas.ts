import * as v from 'valibot';

// Browser-safe field rules shared by forms. Password strength is checked on the server (it needs
// the common-password list).
export const emailField = v.pipe(
	v.string('Enter your email address.'),
	v.trim(),
	v.nonEmpty('Enter your email address.'),
	v.maxLength(254, 'That email address is too long.'),
	v.email('Enter an email address like name@example.org.')
);

export const nameField = v.pipe(
	v.string('Enter your name.'),
	v.trim(),
	v.nonEmpty('Enter your name.'),
	v.maxLength(100, 'Use at most 100 characters.')
);

export const passwordField = v.pipe(
	v.string('Enter a password.'),
	v.nonEmpty('Enter a password.'),
	v.maxLength(256, 'Use at most 256 characters.')
);
