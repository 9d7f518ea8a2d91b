"use client";
import Link from "next/link";
import { useState, type FormEvent } from "react";
import { hardNavigate, signInWithPassword } from "@/components/api/auth-client";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { TextField } from "@/components/ui/field";

function initialMessage(error: string | null): string | null {
  if (!error) return null;
  if (error === "CredentialsSignin") return "Wrong email or password.";
  if (error === "SessionRequired") return "Please sign in to continue.";
  return "Sign-in failed. Please try again.";
}

export function LoginForm({ callbackUrl, signupEnabled, initialError }: { callbackUrl: string; signupEnabled: boolean; initialError: string | null }) {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(initialMessage(initialError));
  const [pending, setPending] = useState(false);

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setPending(true);
    setError(null);
    const result = await signInWithPassword(email.trim(), password, callbackUrl);
    if (result.ok) {
      // A full navigation, so the first signed-in render happens with the new cookie.
      hardNavigate(callbackUrl);
      return;
    }
    setPending(false);
    if (result.reason === "credentials") setError("Wrong email or password.");
    else if (result.reason === "rate_limited") {
      const minutes = result.retryAfterSeconds ? Math.max(1, Math.ceil(result.retryAfterSeconds / 60)) : 15;
      setError(`Too many attempts, try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`);
    } else setError(result.message);
  }

  return (
    <Card className="px-6 py-7 sm:px-8">
      <h1 className="text-lg font-semibold tracking-tight">Sign in</h1>
      <p className="mt-1 text-[13px] text-fg-muted">Welcome back. Use your organisation account.</p>
      <form onSubmit={onSubmit} className="mt-6 space-y-4">
        {error && <Alert tone="danger" data-testid="login-error">{error}</Alert>}
        <TextField
          label="Email"
          name="email"
          type="email"
          autoComplete="username"
          autoFocus
          required
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          placeholder="you@company.com"
        />
        <TextField
          label="Password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        <Button type="submit" variant="primary" className="w-full" loading={pending}>
          {pending ? "Signing in…" : "Sign in"}
        </Button>
      </form>
      {signupEnabled && (
        <p className="mt-6 border-t border-border pt-5 text-center text-[13px] text-fg-muted">
          New here?{" "}
          <Link href="/signup" className="font-medium text-accent hover:underline">
            Create an account
          </Link>
        </p>
      )}
    </Card>
  );
}
