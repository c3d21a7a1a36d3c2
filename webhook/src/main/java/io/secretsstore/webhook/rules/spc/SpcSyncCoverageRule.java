package io.secretsstore.webhook.rules.spc;

import io.secretsstore.webhook.cluster.ClassLookup;
import io.secretsstore.webhook.objects.SecretProviderClass;
import io.secretsstore.webhook.providers.MountedObject;
import io.secretsstore.webhook.providers.ProviderClass;
import io.secretsstore.webhook.providers.Providers;
import io.secretsstore.webhook.objects.SecretProviderClass.Data;
import io.secretsstore.webhook.objects.SecretProviderClass.SecretObject;
import io.secretsstore.webhook.rules.Action;
import io.secretsstore.webhook.rules.ClassRule;
import io.secretsstore.webhook.rules.FindingSink;
import io.secretsstore.webhook.rules.RuleInfo;
import io.secretsstore.webhook.rules.Suggestions;
import java.util.List;
import java.util.Set;

/**
 * Each {@code secretObjects[].data[].objectName} is a file the mount writes: for Azure the
 * object's alias if set, else its name, and {@code <file>/<i>} when objectVersionHistory is above
 * 1. Otherwise the driver emits {@code file matching objectName <x> not found in the pod} and the
 * Secret is never created (docs/semantics.md#secret-sync; azure#270, azure#580, driver#1313).
 */
public final class SpcSyncCoverageRule implements ClassRule {

  static final RuleInfo INFO =
      RuleInfo.rule("spc-sync-coverage", Action.DENY)
          .title("Every secretObjects data objectName must be a file the mount writes.")
          .checks("each `secretObjects[].data[].objectName` is a file the mount writes: the alias "
              + "if set, else the name, `<file>/<i>` with `objectVersionHistory` > 1 (Azure and "
              + "Vault)")
          .prevents("no Secret is synced: `file matching objectName <x> not found in the pod`")
          .explanation(
              """
              The driver fills a synced Secret from the files of the mount, looked up by the path
              relative to the mount (`GetSecretData` in `pkg/util/secretutil/secret.go`). For
              Azure the file is the object's `objectAlias` when set, else its `objectName`
              (`GetFileName` in the provider's `pkg/provider/types/parameters.go`), and
              `<file>/<i>` for each version when `objectVersionHistory` is above 1. Any other
              `objectName` fails the sync with `file matching objectName <x> not found in the
              pod`, as a pod event, and the Secret is never created.

              Why deny: the files a mount writes follow from the class alone (names, aliases,
              version history), so an `objectName` that is none of them fails every sync, whatever
              the vault holds.

              Fix: use the file name: the alias when the object has one.
              """)
          .semantics("secret-sync")
          .issues("azure#270, azure#580")
          .examples(
              "rules/spc-sync-coverage/bad-name-not-alias.yaml",
              "rules/spc-sync-coverage/good-alias.yaml")
          .build();

  @Override
  public RuleInfo info() {
    return INFO;
  }

  @Override
  public void check(SecretProviderClass spc, ClassLookup classes, FindingSink findings) {
    if (spc.secretObjects().isEmpty()) {
      return;
    }
    ProviderClass parsed = Providers.parse(spc);
    Set<String> files = parsed.files();
    if (files.isEmpty()) {
      return; // unknown provider layout, or objects that spc-objects-valid already rejects
    }
    for (SecretObject so : spc.secretObjects()) {
      for (Data d : so.data()) {
        String name = d.objectName();
        if (name == null || name.isBlank() || files.contains(name)) {
          continue;
        }
        findings.report(
            so.path() + ".data[" + d.index() + "].objectName",
            "objectName \"" + name + "\" is not a file the mount writes, so the driver reports"
                + " \"file matching objectName " + name + " not found in the pod\" and Secret \""
                + (so.secretName() == null ? "" : so.secretName()) + "\" is never created; "
                + hint(name, files, parsed.objects()));
      }
    }
  }

  private static String hint(String name, Set<String> files, List<MountedObject> objects) {
    for (MountedObject o : objects) {
      if (o.name().equals(name) && !o.hint().isEmpty()) {
        return o.hint();
      }
    }
    String near = Suggestions.didYouMean(name, files);
    return "files written: " + String.join(", ", files)
        + (near.isEmpty() ? "" : near.replaceFirst("^; did", ". Did"));
  }
}
