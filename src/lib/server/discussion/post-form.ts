/** The fields of a post form: text, the voice it speaks in, and the draft's key. */
const KEY = /^[A-Za-z0-9-]{8,64}$/;
const VOICE = /^a([1-9]\d{0,8})(?::c([1-9]\d{0,8}))?$/;

export function postInput(form: FormData): {
	body: string;
	actorId: number | null;
	concernId: number | null;
	clientKey: string | null;
} {
	const key = String(form.get('clientKey') ?? '');
	const voice = VOICE.exec(String(form.get('voice') ?? ''));
	return {
		body: String(form.get('body') ?? ''),
		actorId: voice ? Number(voice[1]) : null,
		concernId: voice?.[2] ? Number(voice[2]) : null,
		clientKey: KEY.test(key) ? key : null
	};
}
