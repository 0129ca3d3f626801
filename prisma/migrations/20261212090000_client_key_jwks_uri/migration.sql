-- A key set the application publishes at a URL (private_key_jwt with jwks_uri).
ALTER TABLE "ClientKey" ADD COLUMN "jwksUri" TEXT;
