CREATE TABLE "web_inbox" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"identity_id" bigint NOT NULL,
	"payload" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"delivered_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "web_inbox" ADD CONSTRAINT "web_inbox_identity_id_identities_id_fk" FOREIGN KEY ("identity_id") REFERENCES "public"."identities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "web_inbox_identity" ON "web_inbox" USING btree ("identity_id","id");