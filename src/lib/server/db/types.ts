import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<
	Date | null,
	Date | string | null | undefined,
	Date | string | null
>;

export type Role = 'student' | 'instructor' | 'admin';

export interface UsersTable {
	id: Generated<number>;
	email: string;
	name: string;
	password_hash: string;
	role: ColumnType<Role, Role | undefined, Role>;
	disabled_at: NullableTimestamp;
	created_at: Timestamp;
	last_seen_at: NullableTimestamp;
}

export interface SessionsTable {
	id: string;
	user_id: number;
	expires_at: Timestamp;
	created_at: Timestamp;
}

export interface PasswordResetsTable {
	id: string;
	user_id: number;
	created_by: number | null;
	expires_at: Timestamp;
	used_at: NullableTimestamp;
	created_at: Timestamp;
}

export interface Database {
	users: UsersTable;
	sessions: SessionsTable;
	password_resets: PasswordResetsTable;
	courses: CoursesTable;
	article_paragraphs: ArticleParagraphsTable;
	actors: ActorsTable;
	concerns: ConcernsTable;
	actor_concerns: ActorConcernsTable;
	lessons: LessonsTable;
	glossary_terms: GlossaryTermsTable;
	timeline_events: TimelineEventsTable;
	questions: QuestionsTable;
	lesson_progress: LessonProgressTable;
	classes: ClassesTable;
	memberships: MembershipsTable;
	assignments: AssignmentsTable;
	rate_limit_events: RateLimitEventsTable;
	job_runs: JobRunsTable;
	check_answers: CheckAnswersTable;
	class_old_codes: ClassOldCodesTable;
	instructor_invitations: InstructorInvitationsTable;
	quizzes: QuizzesTable;
	quiz_slots: QuizSlotsTable;
	question_versions: QuestionVersionsTable;
	attempts: AttemptsTable;
	attempt_questions: AttemptQuestionsTable;
	attempt_answers: AttemptAnswersTable;
	accommodations: AccommodationsTable;
	regrades: RegradesTable;
	threads: ThreadsTable;
	posts: PostsTable;
	post_revisions: PostRevisionsTable;
	post_votes: PostVotesTable;
	thread_reads: ThreadReadsTable;
	prompt_actors: PromptActorsTable;
	discussion_scores: DiscussionScoresTable;
	flags: FlagsTable;
	member_restrictions: MemberRestrictionsTable;
	discussion_settings: DiscussionSettingsTable;
	watched_words: WatchedWordsTable;
	moderation_log: ModerationLogTable;
	notifications: NotificationsTable;
	events: EventsTable;
}

export type UserRow = Selectable<UsersTable>;
export type NewUserRow = Insertable<UsersTable>;
export type UserUpdate = Updateable<UsersTable>;
export type SessionRow = Selectable<SessionsTable>;

export type CourseStatus = 'draft' | 'published';

export interface CoursesTable {
	id: Generated<number>;
	slug: string;
	title: string;
	summary: ColumnType<string, string | undefined, string>;
	article_title: string;
	article_publisher: string | null;
	article_date: string | null;
	article_reference: string | null;
	article_note: string | null;
	status: ColumnType<CourseStatus, CourseStatus | undefined, CourseStatus>;
	owner_id: number | null;
	created_at: Timestamp;
	updated_at: Timestamp;
	published_at: NullableTimestamp;
}

export interface ArticleParagraphsTable {
	course_id: number;
	number: number;
	body: string;
}

export interface ActorsTable {
	id: Generated<number>;
	course_id: number;
	position: number;
	slug: string;
	name: string;
	short_name: string;
	stance: string;
	stance_label: string;
	summary: ColumnType<string, string | undefined, string>;
	cites: ColumnType<number[], number[] | undefined, number[]>;
}

export interface ConcernsTable {
	id: Generated<number>;
	course_id: number;
	position: number;
	slug: string;
	label: string;
	description: ColumnType<string, string | undefined, string>;
}

export interface ActorConcernsTable {
	concern_id: number;
	actor_id: number;
	position: number;
	kind: 'aim' | 'fear';
	summary: ColumnType<string, string | undefined, string>;
	cites: ColumnType<number[], number[] | undefined, number[]>;
}

export interface LessonsTable {
	id: Generated<number>;
	course_id: number;
	position: number;
	slug: string;
	title: string;
	summary: ColumnType<string, string | undefined, string>;
	body: ColumnType<string, string | undefined, string>;
	key_points: ColumnType<string[], string[] | undefined, string[]>;
	actor_slugs: ColumnType<string[], string[] | undefined, string[]>;
	check_ids: ColumnType<string[], string[] | undefined, string[]>;
}

export interface GlossaryTermsTable {
	id: Generated<number>;
	course_id: number;
	position: number;
	term: string;
	definition: string;
	beyond_note: string | null;
	beyond_source: string | null;
}

export interface TimelineEventsTable {
	id: Generated<number>;
	course_id: number;
	position: number;
	when_label: string;
	sort: number;
	event: string;
	cites: ColumnType<number[], number[] | undefined, number[]>;
}

export type QuestionType = 'mc' | 'multi' | 'tf' | 'short' | 'matching' | 'numerical' | 'ordering';

export interface QuestionsTable {
	id: Generated<number>;
	course_id: number;
	position: number;
	external_id: string;
	type: QuestionType;
	title: string | null;
	prompt: string;
	/** The type's options and answer key (a GiftAnswer without `type`). Server-only. */
	data: ColumnType<unknown, string, string>;
	explanation: string | null;
	cites: ColumnType<number[], number[] | undefined, number[]>;
	/** The GIFT `$CATEGORY:` path the question is filed under; null for none. */
	category: string | null;
	actor_id: number | null;
	concern_id: number | null;
	points: ColumnType<number, number | undefined, number>;
}

export interface LessonProgressTable {
	user_id: number;
	lesson_id: number;
	completed_at: Timestamp;
}

export type ClassRole = 'student' | 'moderator' | 'instructor';
export type AssignmentKind = 'lesson' | 'quiz' | 'discussion';

export interface ClassesTable {
	id: Generated<number>;
	course_id: number;
	name: string;
	term: string | null;
	join_code: string;
	joining_open: ColumnType<boolean, boolean | undefined, boolean>;
	archived_at: NullableTimestamp;
	created_by: number | null;
	created_at: Timestamp;
	/** IANA zone for dates when the browser sends none (0006). */
	time_zone: ColumnType<string, string | undefined, string>;
}

export interface MembershipsTable {
	class_id: number;
	user_id: number;
	role: ClassRole;
	joined_at: Timestamp;
}

export interface AssignmentsTable {
	id: Generated<number>;
	class_id: number;
	kind: AssignmentKind;
	lesson_id: number | null;
	title: string;
	instructions: ColumnType<string, string | undefined, string>;
	opens_at: NullableTimestamp;
	due_at: Timestamp;
	created_by: number | null;
	created_at: Timestamp;
	/** When a lesson assignment is done: the student marks it, or answers its checks (0006). */
	completion: ColumnType<CompletionRule, CompletionRule | undefined, CompletionRule>;
	// How a quiz runs in this class (0008); null/defaults for other kinds.
	quiz_id: ColumnType<number | null, number | null | undefined, number | null>;
	attempts_allowed: ColumnType<number | null, number | null | undefined, number | null>;
	time_limit_seconds: ColumnType<number | null, number | null | undefined, number | null>;
	grace_seconds: ColumnType<number, number | undefined, number>;
	shuffle_questions: ColumnType<boolean, boolean | undefined, boolean>;
	shuffle_options: ColumnType<boolean, boolean | undefined, boolean>;
	/** 0: all on one page; N: a new page every N questions (migration 0012). */
	questions_per_page: ColumnType<number, number | undefined, number>;
	review_marks: ColumnType<Reveal, Reveal | undefined, Reveal>;
	review_answers: ColumnType<Reveal, Reveal | undefined, Reveal>;
	review_feedback: ColumnType<Reveal, Reveal | undefined, Reveal>;
	pass_percent: ColumnType<number | null, number | null | undefined, number | null>;
	grading: ColumnType<Grading, Grading | undefined, Grading>;
	closes_at: NullableTimestamp;
	/** Discussion prompts (0011): post before seeing classmates' replies; names hidden from classmates; actors to argue. */
	post_first: ColumnType<boolean, boolean | undefined, boolean>;
	anonymous: ColumnType<boolean, boolean | undefined, boolean>;
	actor_mode: ColumnType<PromptActorMode, PromptActorMode | undefined, PromptActorMode>;
}

/** One counted event of a rate limit (auth/rate-limit.ts): a bucket (what is limited) and a key. */
export interface RateLimitEventsTable {
	id: Generated<string>;
	bucket: string;
	key: string;
	created_at: Timestamp;
}

/** When each periodic job (jobs/runner.ts) last ran, across all instances. */
export interface JobRunsTable {
	name: string;
	last_run_at: Timestamp;
	last_result: string | null;
}

// Class data (0006): lesson checks answered, old join codes, instructor invitations.
export type CompletionRule = 'marked' | 'checks';

export interface CheckAnswersTable {
	user_id: number;
	question_id: number;
	score: number;
	first_answered_at: Timestamp;
	answered_at: Timestamp;
}

export interface ClassOldCodesTable {
	code: string;
	class_id: number;
	replaced_at: Timestamp;
}

export interface InstructorInvitationsTable {
	id: string;
	email: string;
	created_by: number | null;
	expires_at: Timestamp;
	used_at: NullableTimestamp;
	used_by: number | null;
	created_at: Timestamp;
}

// Graded quizzes (0008).
/** When a student sees their marks, the right answers, the feedback of an attempt. */
export type Reveal = 'after-attempt' | 'after-due' | 'never';
/** Which of a student's attempts counts in the gradebook. */
export type Grading = 'best' | 'last' | 'average';
export type AttemptStatus = 'in-progress' | 'submitted';
export type SubmittedBy = 'student' | 'deadline' | 'instructor';

export interface QuizzesTable {
	id: Generated<number>;
	course_id: number;
	position: number;
	slug: string;
	title: string;
	description: ColumnType<string, string | undefined, string>;
	created_at: Timestamp;
}

/** A fixed question, or `draw` questions at random from the bank by actor and/or concern. */
export interface QuizSlotsTable {
	quiz_id: number;
	position: number;
	question_id: number | null;
	actor_id: number | null;
	concern_id: number | null;
	draw: ColumnType<number, number | undefined, number>;
}

/** Each distinct content of a question, once; attempts point here. */
export interface QuestionVersionsTable {
	id: Generated<number>;
	question_id: number;
	hash: string;
	type: QuestionType;
	prompt: string;
	data: ColumnType<unknown, string, string>;
	explanation: string | null;
	cites: ColumnType<number[], number[] | undefined, number[]>;
	actor_id: number | null;
	concern_id: number | null;
	points: number;
	created_at: Timestamp;
}

export interface AttemptsTable {
	id: Generated<number>;
	assignment_id: number;
	class_id: number;
	user_id: number;
	number: number;
	practice: ColumnType<boolean, boolean | undefined, boolean>;
	seed: string;
	status: AttemptStatus;
	started_at: Timestamp;
	deadline_at: NullableTimestamp;
	grace_seconds: ColumnType<number, number | undefined, number>;
	submitted_at: NullableTimestamp;
	submitted_by: SubmittedBy | null;
	score: number | null;
	max_score: number;
}

export interface AttemptQuestionsTable {
	attempt_id: number;
	position: number;
	question_version_id: number;
}

export interface AttemptAnswersTable {
	attempt_id: number;
	position: number;
	response: ColumnType<unknown, string, string>;
	revision: ColumnType<string, number | bigint | string | undefined, number | bigint | string>;
	saved_at: Timestamp;
	score: number | null;
}

export interface AccommodationsTable {
	class_id: number;
	user_id: number;
	extra_minutes: ColumnType<number, number | undefined, number>;
	time_multiplier: ColumnType<number, number | undefined, number>;
	extra_attempts: ColumnType<number, number | undefined, number>;
}

export interface RegradesTable {
	id: Generated<number>;
	question_id: number;
	question_version_id: number;
	by_user_id: number | null;
	by_name: string;
	created_at: Generated<Date>;
	attempts: number;
	changed: number;
	/** [{ attempt, from, to }]: each re-scored attempt's total before and after. */
	changes: ColumnType<unknown, string, string>;
}

// Discussion (0011).
export type PromptActorMode = 'none' | 'assigned' | 'choose';
export type ThreadAnchor = 'general' | 'lesson' | 'actor' | 'paragraph' | 'prompt';
export type PostStatus = 'visible' | 'pending' | 'hidden' | 'removed' | 'deleted';

export interface ThreadsTable {
	id: Generated<number>;
	class_id: number;
	title: string;
	anchor: ColumnType<ThreadAnchor, ThreadAnchor | undefined, ThreadAnchor>;
	lesson_id: number | null;
	actor_id: number | null;
	paragraph: number | null;
	/** The paragraph's text when the thread was started (paragraphs are rewritten on re-import). */
	quote: string | null;
	assignment_id: number | null;
	created_by: number | null;
	created_at: Timestamp;
	last_post_at: Timestamp;
	locked_at: NullableTimestamp;
	pinned_at: NullableTimestamp;
	slow_mode_seconds: ColumnType<number, number | undefined, number>;
}

export interface PostsTable {
	id: Generated<number>;
	class_id: number;
	thread_id: number;
	parent_id: number | null;
	/** Ancestors' and own ids, zero-padded, joined by '.': ordering by it gives the tree. */
	path: string;
	depth: ColumnType<number, number | undefined, number>;
	author_id: number | null;
	/** Markdown as written; rendered with raw HTML off on every read. */
	body: string;
	actor_id: number | null;
	concern_id: number | null;
	status: ColumnType<PostStatus, PostStatus | undefined, PostStatus>;
	status_reason: string | null;
	client_key: string | null;
	votes: ColumnType<number, number | undefined, number>;
	created_at: Timestamp;
	edited_at: NullableTimestamp;
	/** Generated: to_tsvector('english', body). */
	search: ColumnType<string, never, never>;
}

export interface PostRevisionsTable {
	id: Generated<number>;
	post_id: number;
	body: string;
	edited_by: number | null;
	edited_at: Timestamp;
}

export interface PostVotesTable {
	post_id: number;
	user_id: number;
	created_at: Timestamp;
}

export interface ThreadReadsTable {
	thread_id: number;
	user_id: number;
	read_at: Timestamp;
}

export interface PromptActorsTable {
	assignment_id: number;
	user_id: number;
	actor_id: number;
}

export interface DiscussionScoresTable {
	assignment_id: number;
	user_id: number;
	/** 0..1 of the prompt's mark. */
	score: number;
	comment: ColumnType<string, string | undefined, string>;
	given_by: number | null;
	given_at: Timestamp;
}

export interface FlagsTable {
	id: Generated<number>;
	class_id: number;
	post_id: number;
	user_id: number | null;
	reason: string;
	created_at: Timestamp;
	resolved_at: NullableTimestamp;
	resolved_by: number | null;
	outcome: string | null;
}

export interface MemberRestrictionsTable {
	class_id: number;
	user_id: number;
	silenced_until: NullableTimestamp;
	premoderated: ColumnType<boolean, boolean | undefined, boolean>;
}

export interface DiscussionSettingsTable {
	class_id: number;
	premoderation: ColumnType<
		'off' | 'all' | 'new-members',
		'off' | 'all' | 'new-members' | undefined,
		'off' | 'all' | 'new-members'
	>;
	new_member_days: ColumnType<number, number | undefined, number>;
}

export interface WatchedWordsTable {
	id: Generated<number>;
	class_id: number;
	word: string;
	action: 'block' | 'hold' | 'replace';
	replacement: string | null;
}

export interface ModerationLogTable {
	id: Generated<string>;
	/** Null: an administrator's action on accounts. */
	class_id: number | null;
	actor_id: number | null;
	actor_name: string;
	action: string;
	target_kind: string;
	target_id: number | null;
	target_label: ColumnType<string, string | undefined, string>;
	reason: ColumnType<string, string | undefined, string>;
	details: ColumnType<unknown, string | undefined, string>;
	created_at: Timestamp;
}

export interface NotificationsTable {
	id: Generated<number>;
	user_id: number;
	class_id: number;
	kind: 'reply' | 'mention' | 'moderation';
	post_id: number | null;
	thread_id: number | null;
	message: ColumnType<string, string | undefined, string>;
	created_at: Timestamp;
	read_at: NullableTimestamp;
}

export interface EventsTable {
	id: Generated<string>;
	class_id: number;
	kind: string;
	thread_id: number | null;
	post_id: number | null;
	/** Set: meant for that member only (a notification). */
	user_id: number | null;
	created_at: Timestamp;
}
