export { parseGift } from './parse.ts';
export { serializeGift } from './serialize.ts';
export type {
	GiftAnswer,
	GiftChoice,
	GiftError,
	GiftNumber,
	GiftPair,
	GiftParseResult,
	GiftQuestion,
	GiftQuestionBase,
	GiftQuestionType,
	GiftWeightedOption
} from './types.ts';
