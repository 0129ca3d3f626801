import type { Metadata } from "next";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Grantry", template: "%s · Grantry" },
  description: "Machine-to-machine OAuth 2.0 authorization server",
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen">{children}</body>
    </html>
  );
}
