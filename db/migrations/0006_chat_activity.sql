CREATE TABLE "chat_activity" (
	"day" date NOT NULL,
	"identity_id" bigint NOT NULL,
	"messages" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "chat_activity_day_identity_id_pk" PRIMARY KEY("day","identity_id")
);
--> statement-breakpoint
ALTER TABLE "chat_activity" ADD CONSTRAINT "chat_activity_identity_id_identities_id_fk" FOREIGN KEY ("identity_id") REFERENCES "public"."identities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "chat_activity_identity" ON "chat_activity" USING btree ("identity_id");