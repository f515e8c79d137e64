import type { Migration } from 'kysely';
import * as m0001 from './0001_accounts.ts';
import * as m0002 from './0002_courses.ts';
import * as m0003 from './0003_classes.ts';
import * as m0004 from './0004_signup_attempts.ts';
import * as m0005 from './0005_rate_limits_and_jobs.ts';
import * as m0006 from './0006_class_data.ts';
import * as m0007 from './0007_ordering_questions.ts';
import * as m0008 from './0008_quizzes.ts';
import * as m0009 from './0009_question_category.ts';
import * as m0010 from './0010_regrades.ts';
import * as m0011 from './0011_discussion.ts';
import * as m0012 from './0012_questions_per_page.ts';
import * as m0013 from './0013_growth_indexes.ts';
import * as m0014 from './0014_pending_posts_index.ts';
import * as m0015 from './0015_withdrawn_posts_index.ts';

// Listed by hand so that the same list works in the built server (bundled by Vite) and in the
// command-line scripts (run by tsx). Add each new migration here; never edit one that has landed.
export const migrations: Record<string, Migration> = {
	'0001_accounts': m0001,
	'0002_courses': m0002,
	'0003_classes': m0003,
	'0004_signup_attempts': m0004,
	'0005_rate_limits_and_jobs': m0005,
	'0006_class_data': m0006,
	'0007_ordering_questions': m0007,
	'0008_quizzes': m0008,
	'0009_question_category': m0009,
	'0010_regrades': m0010,
	'0011_discussion': m0011,
	'0012_questions_per_page': m0012,
	'0013_growth_indexes': m0013,
	'0014_pending_posts_index': m0014,
	'0015_withdrawn_posts_index': m0015
};
