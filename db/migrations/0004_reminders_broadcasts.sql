CREATE TABLE "broadcasts" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"text" text NOT NULL,
	"link" jsonb,
	"audience" jsonb NOT NULL,
	"urgent" boolean DEFAULT false NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"send_at" timestamp with time zone,
	"fanout_cursor" bigint DEFAULT 0 NOT NULL,
	"fanout_done_at" timestamp with time zone,
	"recipients" integer DEFAULT 0 NOT NULL,
	"report" jsonb,
	"created_by" text NOT NULL,
	"created_by_name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"completed_at" timestamp with time zone,
	"cancelled_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "channel_pacing" (
	"channel" text PRIMARY KEY NOT NULL,
	"next_slot_at" timestamp (6) with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "permits" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"holder_name" text NOT NULL,
	"phone" text NOT NULL,
	"kind" text NOT NULL,
	"number" text NOT NULL,
	"issued_on" date NOT NULL,
	"expires_on" date NOT NULL,
	"office" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "reminders" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"subject" text NOT NULL,
	"dedupe_key" text NOT NULL,
	"fire_at" timestamp with time zone NOT NULL,
	"stale_at" timestamp with time zone NOT NULL,
	"phone" text,
	"identity_ids" bigint[] DEFAULT '{}'::bigint[] NOT NULL,
	"params" jsonb NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"settled_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "areas" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"folded" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "notification_settings" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"citizen_id" bigint,
	"identity_id" bigint,
	"muted_kinds" text[] DEFAULT '{}'::text[] NOT NULL,
	"area" text,
	"topics" text[] DEFAULT '{}'::text[] NOT NULL,
	"stopped_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "notification_settings_citizen_id_unique" UNIQUE("citizen_id"),
	CONSTRAINT "notification_settings_identity_id_unique" UNIQUE("identity_id"),
	CONSTRAINT "notification_settings_owner" CHECK (("notification_settings"."citizen_id" is null) <> ("notification_settings"."identity_id" is null))
);
--> statement-breakpoint
ALTER TABLE "outbox" ADD COLUMN "subject" text;--> statement-breakpoint
ALTER TABLE "notification_settings" ADD CONSTRAINT "notification_settings_citizen_id_citizens_id_fk" FOREIGN KEY ("citizen_id") REFERENCES "public"."citizens"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notification_settings" ADD CONSTRAINT "notification_settings_identity_id_identities_id_fk" FOREIGN KEY ("identity_id") REFERENCES "public"."identities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "broadcasts_active" ON "broadcasts" USING btree ("send_at") WHERE "broadcasts"."status" in ('scheduled', 'sending');--> statement-breakpoint
CREATE UNIQUE INDEX "permits_kind_number" ON "permits" USING btree ("kind","number");--> statement-breakpoint
CREATE INDEX "permits_phone" ON "permits" USING btree ("phone");--> statement-breakpoint
CREATE UNIQUE INDEX "reminders_dedupe_key" ON "reminders" USING btree ("dedupe_key");--> statement-breakpoint
CREATE INDEX "reminders_due" ON "reminders" USING btree ("fire_at") WHERE "reminders"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "reminders_subject" ON "reminders" USING btree ("subject");--> statement-breakpoint
CREATE INDEX "outbox_subject" ON "outbox" USING btree ("subject","status");