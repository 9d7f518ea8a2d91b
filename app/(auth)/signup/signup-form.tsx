"use client";
import Link from "next/link";
import { useState, type FormEvent } from "react";
import { ApiError, apiFetch, errorMessage } from "@/components/api/api-client";
import { hardNavigate, signInWithPassword } from "@/components/api/auth-client";
import { LockIcon } from "@/components/icons";
import { Alert } from "@/components/ui/alert";
import { Button, LinkButton } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { TextField } from "@/components/ui/field";

type Field = "name" | "email" | "password";

export function SignupForm({ signupEnabled }: { signupEnabled: boolean }) {
  const [values, setValues] = useState<Record<Field, string>>({ name: "", email: "", password: "" });
  const [fieldErrors, setFieldErrors] = useState<Partial<Record<Field, string>>>({});
  const [error, setError] = useState<string | null>(null);
  const [closed, setClosed] = useState(!signupEnabled);
  const [pending, setPending] = useState(false);

  if (closed) {
    return (
      <Card>
        <EmptyState
          icon={<LockIcon />}
          title="Sign-up is turned off"
          description="This organisation creates accounts by invitation. Ask an administrator to create one for you."
          actions={<LinkButton href="/login" variant="primary">Back to sign in</LinkButton>}
        />
      </Card>
    );
  }

  const set = (field: Field) => (e: React.ChangeEvent<HTMLInputElement>) => {
    setValues((v) => ({ ...v, [field]: e.target.value }));
    setFieldErrors((fe) => ({ ...fe, [field]: undefined }));
  };

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setError(null);
    const errors: Partial<Record<Field, string>> = {};
    if (!values.name.trim()) errors.name = "Tell us your name.";
    if (!/^[^\s@]+@[^\s@]+$/.test(values.email.trim())) errors.email = "Enter an email address like you@company.com.";
    if (values.password.length < 10) errors.password = "Use at least 10 characters.";
    setFieldErrors(errors);
    if (Object.keys(errors).length) return;
    setPending(true);
    try {
      await apiFetch("/api/signup", { method: "POST", json: { name: values.name.trim(), email: values.email.trim(), password: values.password } });
    } catch (err) {
      setPending(false);
      if (err instanceof ApiError && err.status === 403 && err.code === "forbidden") {
        setClosed(true);
        return;
      }
      if (err instanceof ApiError && err.status === 409) {
        setFieldErrors({ email: "An account with this email already exists." });
        return;
      }
      if (err instanceof ApiError && err.errors.length) {
        setFieldErrors({ name: err.fieldError("name"), email: err.fieldError("email"), password: err.fieldError("password") });
        return;
      }
      setError(errorMessage(err));
      return;
    }
    const signedIn = await signInWithPassword(values.email.trim(), values.password, "/");
    hardNavigate(signedIn.ok ? "/" : "/login");
  }

  return (
    <Card className="px-6 py-7 sm:px-8">
      <h1 className="text-lg font-semibold tracking-tight">Create your account</h1>
      <p className="mt-1 text-[13px] text-fg-muted">You will join as a member. An administrator can change your role later.</p>
      <form onSubmit={onSubmit} className="mt-6 space-y-4" noValidate>
        {error && <Alert tone="danger">{error}</Alert>}
        <TextField label="Name" name="name" autoComplete="name" autoFocus required value={values.name} onChange={set("name")} error={fieldErrors.name} placeholder="Ada Lovelace" />
        <TextField label="Email" name="email" type="email" autoComplete="email" required value={values.email} onChange={set("email")} error={fieldErrors.email} placeholder="you@company.com" />
        <TextField
          label="Password"
          name="password"
          type="password"
          autoComplete="new-password"
          required
          minLength={10}
          value={values.password}
          onChange={set("password")}
          error={fieldErrors.password}
          hint="At least 10 characters. A passphrase works well."
        />
        <Button type="submit" variant="primary" className="w-full" loading={pending}>
          {pending ? "Creating account…" : "Create account"}
        </Button>
      </form>
      <p className="mt-6 border-t border-border pt-5 text-center text-[13px] text-fg-muted">
        Already have an account?{" "}
        <Link href="/login" className="font-medium text-accent hover:underline">
          Sign in
        </Link>
      </p>
    </Card>
  );
}
