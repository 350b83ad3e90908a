using IotTelemetry.Common.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace IotTelemetry.Common.Hosting;

/// <summary>
/// Options per section: each section of a host's configuration is an <see cref="IOptions{TOptions}"/> (a named one where
/// one type serves two sections, as <c>Kafka:Edge</c> and <c>Kafka:Cloud</c>), bound with messages that name the key
/// (<see cref="ServiceHost.Bind{T}"/>), validated by an <see cref="IValidateOptions{TOptions}"/> that phrases every
/// problem as <c>Key: expected X, got Y</c>, and checked at start-up (<c>ValidateOnStart</c>). A rule that spans
/// sections lives in the validator of the section it names and reads the others as bound (<see cref="Bound{T}"/>).
/// </summary>
public static class ConfigSections
{
    /// <summary>Section <paramref name="key"/> as options <typeparamref name="T"/> (named <paramref name="name"/>), validated by <paramref name="rules"/>.</summary>
    public static IServiceCollection AddSection<T>(this IServiceCollection services, IConfiguration configuration, string key,
        Action<T, ConfigErrors, IServiceProvider>? rules = null, string? name = null) where T : class, new()
    {
        var optionsName = name ?? Options.DefaultName;
        services.AddSingleton(new SectionBinding(typeof(T), optionsName, configuration, key));
        services.AddOptions<T>(optionsName)
            .Configure(value =>
            {
                var errors = new ConfigErrors();
                ServiceHost.BindInto(configuration, key, value, errors);
                if (errors.Problems.Count > 0) throw new OptionsValidationException(optionsName, typeof(T), errors.Problems);
            })
            .ValidateOnStart();
        if (rules is not null)
            services.AddSingleton<IValidateOptions<T>>(sp => new SectionValidator<T>(optionsName, rules, sp));
        return services;
    }

    /// <summary>The options of one section, validated (the first read of a section runs its validator).</summary>
    public static T Section<T>(this IServiceProvider services, string? name = null) where T : class =>
        services.GetRequiredService<IOptionsMonitor<T>>().Get(name ?? Options.DefaultName);

    /// <summary>
    /// A section as bound, without running its validator: for a rule that spans sections, so that one invalid section
    /// does not hide the problems of another (each reports its own).
    /// </summary>
    public static T Bound<T>(this IServiceProvider services, string? name = null) where T : class, new()
    {
        var optionsName = name ?? Options.DefaultName;
        var binding = services.GetServices<SectionBinding>().Last(b => b.Type == typeof(T) && b.Name == optionsName);
        var value = new T();
        ServiceHost.BindInto(binding.Configuration, binding.Key, value, new ConfigErrors());
        return value;
    }

    /// <summary>
    /// Every section <paramref name="register"/> adds, bound and validated at once, before the host opens anything (a
    /// Kafka cluster, a listener): throws a <see cref="ConfigurationException"/> listing every problem. The provider it
    /// returns serves the checked sections to the host's composition (which services to add).
    /// </summary>
    public static ServiceProvider Check(Action<IServiceCollection> register)
    {
        var services = new ServiceCollection();
        register(services);
        var provider = services.BuildServiceProvider();
        try
        {
            Validate(provider);
            return provider;
        }
        catch
        {
            provider.Dispose();
            throw;
        }
    }

    /// <summary>Runs every ValidateOnStart check of <paramref name="services"/>, turning their failures into one <see cref="ConfigurationException"/>.</summary>
    public static void Validate(IServiceProvider services)
    {
        try
        {
            services.GetRequiredService<IStartupValidator>().Validate();
        }
        catch (Exception ex) when (ex is OptionsValidationException or AggregateException)
        {
            throw new ConfigurationException(Failures(ex).Distinct(StringComparer.Ordinal).ToList());
        }
    }

    private static IEnumerable<string> Failures(Exception ex) => ex switch
    {
        OptionsValidationException o => o.Failures,
        AggregateException a => a.InnerExceptions.SelectMany(Failures),
        _ => [ex.Message],
    };

    private sealed record SectionBinding(Type Type, string Name, IConfiguration Configuration, string Key);

    private sealed class SectionValidator<T>(string name, Action<T, ConfigErrors, IServiceProvider> rules, IServiceProvider services)
        : IValidateOptions<T> where T : class
    {
        public ValidateOptionsResult Validate(string? optionsName, T options)
        {
            if ((optionsName ?? Options.DefaultName) != name) return ValidateOptionsResult.Skip;
            var errors = new ConfigErrors();
            rules(options, errors, services);
            return errors.Problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors.Problems);
        }
    }
}
