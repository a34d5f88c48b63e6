CREATE TABLE "certification_requests" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"citizen_id" bigint NOT NULL,
	"office_id" bigint NOT NULL,
	"identity_id" bigint,
	"status" text DEFAULT 'submitted' NOT NULL,
	"items" jsonb NOT NULL,
	"delivery" jsonb NOT NULL,
	"quoted_fee" integer NOT NULL,
	"fee" integer,
	"fee_reason" text,
	"verification_method" text NOT NULL,
	"verified_at" timestamp with time zone NOT NULL,
	"verified_by" text,
	"otp_challenge_id" text,
	"reject_reason" text,
	"pickup_place" text,
	"delivered_via" text,
	"tracking_number" text,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "otp_challenges" (
	"id" text PRIMARY KEY NOT NULL,
	"phone" text NOT NULL,
	"identity_id" bigint,
	"requested_by" text,
	"code_hmac" text NOT NULL,
	"outbox_id" bigint,
	"failed_attempts" integer DEFAULT 0 NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	"voided_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "stored_documents" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"citizen_id" bigint NOT NULL,
	"office_id" bigint NOT NULL,
	"title" text NOT NULL,
	"kind" text NOT NULL,
	"pages" integer NOT NULL,
	"blob_key" text NOT NULL,
	"content_type" text NOT NULL,
	"size_bytes" integer NOT NULL,
	"sha256" text NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "stored_documents_pages" CHECK ("stored_documents"."pages" > 0)
);
--> statement-breakpoint
ALTER TABLE "certification_requests" ADD CONSTRAINT "certification_requests_citizen_id_citizens_id_fk" FOREIGN KEY ("citizen_id") REFERENCES "public"."citizens"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "certification_requests" ADD CONSTRAINT "certification_requests_identity_id_identities_id_fk" FOREIGN KEY ("identity_id") REFERENCES "public"."identities"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "certification_requests" ADD CONSTRAINT "certification_requests_otp_challenge_id_otp_challenges_id_fk" FOREIGN KEY ("otp_challenge_id") REFERENCES "public"."otp_challenges"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "otp_challenges" ADD CONSTRAINT "otp_challenges_identity_id_identities_id_fk" FOREIGN KEY ("identity_id") REFERENCES "public"."identities"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "otp_challenges" ADD CONSTRAINT "otp_challenges_outbox_id_outbox_id_fk" FOREIGN KEY ("outbox_id") REFERENCES "public"."outbox"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stored_documents" ADD CONSTRAINT "stored_documents_citizen_id_citizens_id_fk" FOREIGN KEY ("citizen_id") REFERENCES "public"."citizens"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "certification_requests_queue" ON "certification_requests" USING btree ("status","office_id","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "certification_requests_citizen" ON "certification_requests" USING btree ("citizen_id","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "otp_challenges_phone" ON "otp_challenges" USING btree ("phone","created_at");--> statement-breakpoint
CREATE INDEX "otp_challenges_identity" ON "otp_challenges" USING btree ("identity_id","created_at");--> statement-breakpoint
CREATE INDEX "stored_documents_citizen" ON "stored_documents" USING btree ("citizen_id");