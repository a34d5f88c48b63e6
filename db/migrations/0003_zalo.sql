CREATE TABLE "zalo_tokens" (
	"app_id" text PRIMARY KEY NOT NULL,
	"access_token" text NOT NULL,
	"refresh_token" text NOT NULL,
	"access_expires_at" timestamp with time zone NOT NULL,
	"refreshed_at" timestamp with time zone,
	"refresh_failed_at" timestamp with time zone,
	"refresh_error" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
