-- Existing offices get a code from their id; admins may rename it.
ALTER TABLE "offices" ADD COLUMN "code" text;--> statement-breakpoint
UPDATE "offices" SET "code" = 'office-' || "id";--> statement-breakpoint
ALTER TABLE "offices" ALTER COLUMN "code" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "offices" ADD COLUMN "portal" text;--> statement-breakpoint
ALTER TABLE "offices" ADD COLUMN "settings" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "identities" ADD COLUMN "office_id" bigint;--> statement-breakpoint
ALTER TABLE "areas" ADD COLUMN "office_id" bigint;--> statement-breakpoint
ALTER TABLE "identities" ADD CONSTRAINT "identities_office_id_offices_id_fk" FOREIGN KEY ("office_id") REFERENCES "public"."offices"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "areas" ADD CONSTRAINT "areas_office_id_offices_id_fk" FOREIGN KEY ("office_id") REFERENCES "public"."offices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "identities_office_id" ON "identities" USING btree ("office_id");--> statement-breakpoint
ALTER TABLE "offices" ADD CONSTRAINT "offices_code_unique" UNIQUE("code");