"use client";
// The drop zone for a manifest file (.yaml/.yml/.json), shared by the marketplace's upload
// page and the builder's Upload method: drag and drop, or click / Enter / Space to choose a
// file. It only hands the File up; reading and checking it is the caller's business.
import { useRef, useState } from "react";
import { UploadIcon } from "@/components/marketplace/marketplace-icons";
import { cx } from "@/components/ui/cx";

export function ManifestDropZone({ onFile, testId, inputTestId, compact = false }: { onFile: (file: File) => void; testId: string; inputTestId: string; compact?: boolean }) {
  const fileInput = useRef<HTMLInputElement>(null);
  const [dragging, setDragging] = useState(false);
  return (
    <div
      role="button"
      tabIndex={0}
      aria-label="Drop a manifest file here, or press Enter to choose one"
      onClick={() => fileInput.current?.click()}
      onKeyDown={(e) => {
        if (e.key === "Enter" || e.key === " ") {
          e.preventDefault();
          fileInput.current?.click();
        }
      }}
      onDragOver={(e) => {
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={(e) => {
        e.preventDefault();
        setDragging(false);
        const file = e.dataTransfer.files[0];
        if (file) onFile(file);
      }}
      data-testid={testId}
      className={cx(
        "flex cursor-pointer flex-col items-center justify-center rounded-xl border-2 border-dashed px-6 text-center transition-colors outline-none focus-visible:ring-2 focus-visible:ring-ring",
        compact ? "py-6" : "py-8",
        dragging ? "border-accent bg-accent-soft/60" : "border-border-strong/70 bg-surface hover:border-accent/60 hover:bg-surface-2/50",
      )}
    >
      <span className={cx("grid place-items-center rounded-xl bg-accent-soft text-accent", compact ? "size-10" : "size-11")}>
        <UploadIcon className="size-5" />
      </span>
      <p className={cx("text-[14px] font-medium text-fg", compact ? "mt-2.5" : "mt-3")}>{dragging ? "Drop it to check it" : "Drop a manifest here, or click to choose"}</p>
      <p className="mt-0.5 text-[12.5px] text-fg-subtle">.yaml, .yml or .json · up to 768 KB</p>
      <input
        ref={fileInput}
        type="file"
        accept=".yaml,.yml,.json,application/json,application/yaml,text/yaml"
        className="sr-only"
        tabIndex={-1}
        aria-label="Manifest file"
        onChange={(e) => {
          const file = e.target.files?.[0];
          if (file) onFile(file);
          e.target.value = "";
        }}
        data-testid={inputTestId}
      />
    </div>
  );
}
