// Passwords of eight or more characters that top the published leaked-password lists. Refused at
// sign-up and on change; compared lower-cased. The shorter classics are already refused by length.
export const COMMON_PASSWORDS: ReadonlySet<string> = new Set([
	'password', 'password1', 'password12', 'password123', 'password1234', 'passw0rd', 'p@ssw0rd',
	'p@ssword', 'pa$$word', 'password!', 'password01', 'mypassword', 'newpassword', 'thepassword',
	'12345678', '123456789', '1234567890', '12345678910', '0123456789', '11111111', '00000000',
	'123123123', '12341234', '87654321', '98765432', '11223344', '12121212', '88888888', '99999999',
	'66666666', '22222222', '55555555', '77777777', '1q2w3e4r', '1q2w3e4r5t', 'q1w2e3r4', 'q1w2e3r4t5',
	'qwertyui', 'qwertyuiop', 'qwerty123', 'qwerty1234', 'qwerty12', 'qwertyu1', '1qaz2wsx', 'zaq12wsx',
	'zaq1zaq1', 'asdfghjk', 'asdfghjkl', 'asdf1234', 'zxcvbnm1', 'zxcvbnm123', 'abcd1234', 'abc12345',
	'abcdefgh', 'abcdefg1', 'a1b2c3d4', 'aa123456', 'iloveyou', 'iloveyou1', 'iloveyou2', 'sunshine',
	'sunshine1', 'princess', 'princess1', 'football', 'football1', 'baseball', 'baseball1', 'basketball',
	'welcome1', 'welcome123', 'letmein1', 'letmein123', 'trustno1', 'starwars', 'starwars1',
	'whatever', 'whatever1', 'superman', 'superman1', 'batman123', 'computer', 'computer1', 'internet',
	'michelle', 'jennifer', 'jordan23', 'charlie1', 'chocolate', 'butterfly', 'liverpool', 'chelsea1',
	'arsenal1', 'master123', 'mustang1', 'midnight', 'passport', 'dragon123', 'monkey123', 'shadow123',
	'freedom1', 'corvette', 'mercedes', 'ferrari1', 'pokemon1', 'minecraft', 'fortnite', 'trustme1',
	'changeme', 'changeme1', 'default1', 'admin123', 'admin1234', 'administrator', 'root1234',
	'test1234', 'testtest', 'test12345', 'guest123', 'user1234', 'login123', 'secret123', 'letmein!',
	'iloveyou!', 'qwerty!@#', '!qaz2wsx', '1q2w3e4r!', 'qazwsxedc', 'qazwsx123', 'google123',
	'facebook', 'linkedin', 'samsung1', 'hello123', 'helloworld', 'blink182', 'summer2024',
	'summer2025', 'summer2026', 'winter2025', 'spring2026', 'autumn2026', 'welcome2026', 'password2026',
	'perspectives', 'perspectives1'
]);
