CREATE TABLE "dossier_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"dossier_id" bigint NOT NULL,
	"status" text NOT NULL,
	"note" text,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"forced_reason" text,
	"actor" text NOT NULL,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "dossier_subscriptions" (
	"identity_id" bigint NOT NULL,
	"dossier_id" bigint NOT NULL,
	"proven_at" timestamp with time zone NOT NULL,
	"following" boolean,
	CONSTRAINT "dossier_subscriptions_identity_id_dossier_id_pk" PRIMARY KEY("identity_id","dossier_id")
);
--> statement-breakpoint
CREATE TABLE "dossiers" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"receipt_code" text NOT NULL,
	"procedure_code" text NOT NULL,
	"procedure_name" text,
	"field" text,
	"office_id" bigint NOT NULL,
	"applicant_name" text NOT NULL,
	"applicant_phone" text NOT NULL,
	"channel" text NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"status" text NOT NULL,
	"resolved_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "feedback" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"dossier_id" bigint NOT NULL,
	"identity_id" bigint,
	"office_id" bigint NOT NULL,
	"field" text,
	"rating" smallint NOT NULL,
	"comment" text,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "feedback_rating_range" CHECK ("feedback"."rating" between 1 and 5)
);
--> statement-breakpoint
CREATE TABLE "rate_counters" (
	"bucket" text NOT NULL,
	"window_start" timestamp with time zone NOT NULL,
	"count" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "rate_counters_bucket_window_start_pk" PRIMARY KEY("bucket","window_start")
);
--> statement-breakpoint
CREATE TABLE "staff_sessions" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"token_hash" text NOT NULL,
	"staff_id" bigint NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	CONSTRAINT "staff_sessions_token_hash_unique" UNIQUE("token_hash")
);
--> statement-breakpoint
ALTER TABLE "dossier_events" ADD CONSTRAINT "dossier_events_dossier_id_dossiers_id_fk" FOREIGN KEY ("dossier_id") REFERENCES "public"."dossiers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dossier_subscriptions" ADD CONSTRAINT "dossier_subscriptions_identity_id_identities_id_fk" FOREIGN KEY ("identity_id") REFERENCES "public"."identities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dossier_subscriptions" ADD CONSTRAINT "dossier_subscriptions_dossier_id_dossiers_id_fk" FOREIGN KEY ("dossier_id") REFERENCES "public"."dossiers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "feedback" ADD CONSTRAINT "feedback_dossier_id_dossiers_id_fk" FOREIGN KEY ("dossier_id") REFERENCES "public"."dossiers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "feedback" ADD CONSTRAINT "feedback_identity_id_identities_id_fk" FOREIGN KEY ("identity_id") REFERENCES "public"."identities"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "staff_sessions" ADD CONSTRAINT "staff_sessions_staff_id_staff_users_id_fk" FOREIGN KEY ("staff_id") REFERENCES "public"."staff_users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "dossier_events_dossier" ON "dossier_events" USING btree ("dossier_id","id");--> statement-breakpoint
CREATE INDEX "dossier_subscriptions_dossier" ON "dossier_subscriptions" USING btree ("dossier_id");--> statement-breakpoint
CREATE UNIQUE INDEX "dossiers_receipt_code" ON "dossiers" USING btree ("receipt_code");--> statement-breakpoint
CREATE INDEX "dossiers_applicant_phone" ON "dossiers" USING btree ("applicant_phone");--> statement-breakpoint
CREATE INDEX "dossiers_office_received" ON "dossiers" USING btree ("office_id","received_at");--> statement-breakpoint
CREATE INDEX "dossiers_office_resolved" ON "dossiers" USING btree ("office_id","resolved_at");--> statement-breakpoint
CREATE INDEX "dossiers_received" ON "dossiers" USING btree ("received_at");--> statement-breakpoint
CREATE INDEX "dossiers_open_due" ON "dossiers" USING btree ("office_id","due_at") WHERE "dossiers"."status" in ('received', 'processing', 'needs_supplement');--> statement-breakpoint
CREATE UNIQUE INDEX "feedback_dossier" ON "feedback" USING btree ("dossier_id");--> statement-breakpoint
CREATE INDEX "feedback_office_created" ON "feedback" USING btree ("office_id","created_at");--> statement-breakpoint
CREATE INDEX "rate_counters_window" ON "rate_counters" USING btree ("window_start");--> statement-breakpoint
CREATE INDEX "staff_sessions_staff" ON "staff_sessions" USING btree ("staff_id");--> statement-breakpoint
CREATE INDEX "staff_sessions_expires" ON "staff_sessions" USING btree ("expires_at");